package dev.bastion.agent.suricata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * One Suricata instance serving one external-DPI port: inline AF_PACKET IPS between two interfaces (whatever
 * arrives on one is inspected and copied to the other, both ways), the chain's rule files, and EVE JSON
 * streamed to the agent's Unix socket. Everything the instance writes lives in its own directory under
 * {@code runtimeDirectory}, so instances never share a pid file or a socket.
 *
 * @param instance         names the instance directory and appears in logs (lower case, digits, '-', '_')
 * @param firstInterface   one inline interface
 * @param secondInterface  the other one
 * @param ruleDirectory    Suricata's default-rule-path: where {@code ruleFiles} are resolved
 * @param ruleFiles        the chain's rule files, relative to {@code ruleDirectory}
 * @param bundledRules     names of rule files shipped with Suricata in {@link #BUNDLED_RULES}, e.g. http-events.rules
 * @param runtimeDirectory parent of the instance directory
 * @param clusterId        AF_PACKET fanout group of the first interface; the second uses {@code clusterId + 1}.
 *                         Fanout ids are shared by the whole network namespace, so every instance needs its own.
 * @param statsInterval    how often Suricata emits its stats event (whole seconds)
 */
public record SuricataConfig(String instance, String firstInterface, String secondInterface, Path ruleDirectory,
                             List<String> ruleFiles, List<String> bundledRules, Path runtimeDirectory, int clusterId,
                             Duration statsInterval) {

    /** Where Debian's suricata package installs its event rules. */
    public static final Path BUNDLED_RULES = Path.of("/etc/suricata/rules");
    private static final Path CLASSIFICATION = Path.of("/etc/suricata/classification.config");
    private static final Path REFERENCE = Path.of("/etc/suricata/reference.config");
    private static final Pattern INSTANCE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern INTERFACE = Pattern.compile("[^/\\s:]{1,15}");
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    public SuricataConfig {
        ruleFiles = List.copyOf(ruleFiles);
        bundledRules = List.copyOf(bundledRules);
        if (!INSTANCE.matcher(instance).matches()) {
            throw new IllegalArgumentException("Suricata instance name '" + instance
                    + "': expected 1-32 of a-z, 0-9, '-', '_' (starting with a letter or digit)");
        }
        for (String name : List.of(firstInterface, secondInterface)) {
            if (!INTERFACE.matcher(name).matches()) {
                throw new IllegalArgumentException("Suricata instance " + instance + ": '" + name + "' is not an interface name");
            }
        }
        if (firstInterface.equals(secondInterface)) {
            throw new IllegalArgumentException("Suricata instance " + instance
                    + ": inline needs two different interfaces, got " + firstInterface + " twice");
        }
        if (ruleFiles.isEmpty() && bundledRules.isEmpty()) {
            throw new IllegalArgumentException("Suricata instance " + instance + ": no rule files");
        }
        for (String file : ruleFiles) {
            requireFile(instance, ruleDirectory.resolve(file), "rule file");
        }
        for (String file : bundledRules) {
            if (!isBundledRuleFile(file)) {
                throw new IllegalArgumentException("Suricata instance " + instance + ": bundled rule file '" + file
                        + "' is not a rule file in " + BUNDLED_RULES);
            }
        }
        if (clusterId < 1 || clusterId > 65534) {
            throw new IllegalArgumentException("Suricata instance " + instance + ": cluster id " + clusterId
                    + " out of range 1-65534");
        }
        if (statsInterval.toMillis() < 1000 || statsInterval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("Suricata instance " + instance + ": stats interval " + statsInterval
                    + " must be a whole number of seconds, at least 1");
        }
        int socketPath = runtimeDirectory.resolve(instance).resolve("eve.sock").toAbsolutePath().toString()
                .getBytes(StandardCharsets.UTF_8).length;
        if (socketPath > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("Suricata instance " + instance + ": runtime directory " + runtimeDirectory
                    + " is too long for a Unix socket path (" + socketPath + " > " + MAX_SOCKET_PATH + " bytes)");
        }
    }

    /** Whether {@code name} names a rule file Suricata ships in {@link #BUNDLED_RULES}. */
    public static boolean isBundledRuleFile(String name) {
        return !name.contains("/") && Files.isRegularFile(BUNDLED_RULES.resolve(name));
    }

    private static void requireFile(String instance, Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Suricata instance " + instance + ": " + what + " " + file + " not found");
        }
    }

    /** The instance's own directory: configuration, EVE socket, pid file, logs. */
    public Path directory() {
        return runtimeDirectory.resolve(instance).toAbsolutePath();
    }

    public Path configFile() {
        return directory().resolve("suricata.yaml");
    }

    /** The agent listens here; Suricata connects to it as a client. */
    public Path eveSocket() {
        return directory().resolve("eve.sock");
    }

    public Path pidFile() {
        return directory().resolve("suricata.pid");
    }

    public Path logDirectory() {
        return directory().resolve("log");
    }

    /**
     * Creates the instance directory (owner only: whoever can connect to the EVE socket can forge alerts, and
     * alerts can block flows) and writes {@link #yaml()} to {@link #configFile()}.
     */
    public Path write() throws IOException {
        for (Path dir : List.of(directory(), logDirectory())) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        Files.writeString(configFile(), yaml());
        return configFile();
    }

    /** The complete suricata.yaml of this instance. */
    public String yaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("vars", map(
                "address-groups", map("HOME_NET", "any", "EXTERNAL_NET", "any", "HTTP_SERVERS", "$HOME_NET",
                        "SMTP_SERVERS", "$HOME_NET", "SQL_SERVERS", "$HOME_NET", "DNS_SERVERS", "$HOME_NET",
                        "TELNET_SERVERS", "$HOME_NET"),
                "port-groups", map("HTTP_PORTS", "80", "SHELLCODE_PORTS", "!80", "ORACLE_PORTS", "1521",
                        "SSH_PORTS", "22", "FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]", "FTP_PORTS", "21")));
        root.put("default-rule-path", ruleDirectory.toAbsolutePath().toString());
        List<String> rules = new ArrayList<>(ruleFiles);
        bundledRules.forEach(name -> rules.add(BUNDLED_RULES.resolve(name).toString()));
        root.put("rule-files", rules);
        if (Files.isRegularFile(CLASSIFICATION)) {
            root.put("classification-file", CLASSIFICATION.toString());
        }
        if (Files.isRegularFile(REFERENCE)) {
            root.put("reference-config-file", REFERENCE.toString());
        }
        root.put("default-log-dir", logDirectory().toString());
        // workers: one thread per interface does capture, detection and the copy to the peer interface.
        root.put("runmode", "workers");
        // The agent runs one Suricata per port; the default command socket path would be shared by all of them.
        root.put("unix-command", map("enabled", false));
        // Device tracking is unsupported in IPS mode (Suricata turns it off with a warning otherwise).
        root.put("livedev", map("use-for-tracking", false));
        root.put("stats", map("enabled", true, "interval", statsInterval.toSeconds()));
        // Console only: the supervisor reads it and logs it through SLF4J; the level tag maps to SLF4J levels.
        root.put("logging", map(
                "default-log-level", "notice",
                "default-log-format", SuricataLogLine.FORMAT,
                "outputs", List.of(map("console", map("enabled", true)), map("file", map("enabled", false)),
                        map("syslog", map("enabled", false)))));
        root.put("outputs", List.of(map("eve-log", map(
                "enabled", true,
                "filetype", "unix_stream",
                "filename", eveSocket().toString(),
                "types", List.of(
                        map("alert", map("tagged-packets", false)),
                        map("drop", map("alerts", true, "flows", "start")),
                        "flow",
                        map("stats", map("totals", true, "threads", false, "deltas", false)))))));
        root.put("af-packet", List.of(
                inline(firstInterface, secondInterface, clusterId),
                inline(secondInterface, firstInterface, clusterId + 1)));
        root.put("stream", map(
                "memcap", "64mb",
                "checksum-validation", true,
                "inline", true,
                // The bridge may start steering a flow that is already established.
                "midstream", true,
                "reassembly", map("memcap", "256mb", "depth", "1mb")));

        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(Integer.MAX_VALUE);
        return "%YAML 1.1\n---\n" + new Yaml(options).dump(root);
    }

    /**
     * One direction of the inline pair. A veth has a single queue, so one thread per interface; the fanout
     * group hashes per flow. IPS copy mode needs TPACKET_V2 with mmap; defragmentation is left to the
     * receiving hosts, since Suricata would otherwise forward reassembled datagrams.
     */
    private static Map<String, Object> inline(String from, String to, int cluster) {
        return map(
                "interface", from,
                "copy-mode", "ips",
                "copy-iface", to,
                "threads", 1,
                "cluster-id", cluster,
                "cluster-type", "cluster_flow",
                "defrag", false,
                "use-mmap", true,
                "tpacket-v3", false,
                "checksum-checks", "kernel");
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
