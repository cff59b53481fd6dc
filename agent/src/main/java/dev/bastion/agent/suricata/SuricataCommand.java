package dev.bastion.agent.suricata;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.event.Level;

/**
 * How to run the Suricata executable: its path, and a prefix that places it where its interfaces are
 * (empty on a node; {@code ip netns exec NS} in the lab). The prefix must exec Suricata in place so that the
 * supervised process is Suricata itself and signals reach it.
 */
public record SuricataCommand(Path binary, List<String> prefix) {
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);

    public SuricataCommand {
        prefix = List.copyOf(prefix);
    }

    public static SuricataCommand of(Path binary) {
        return new SuricataCommand(binary, List.of());
    }

    /** Runs Suricata inline on the configuration's interfaces. */
    List<String> run(SuricataConfig config) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(binary.toString(), "-c", config.configFile().toString(), "--af-packet",
                "--pidfile", config.pidFile().toString()));
        return argv;
    }

    /**
     * Runs {@code suricata -T} on the written configuration, which loads every rule; its output goes to
     * check.log in the instance directory. Outputs are turned off for the check, so it never connects to the
     * EVE socket of a running instance.
     *
     * @throws SuricataException with Suricata's error lines (they name the rule file and line) if it is rejected
     */
    public void check(SuricataConfig config) throws SuricataException {
        List<String> argv = List.of(binary.toString(), "-T", "-c", config.configFile().toString(),
                "--set", "outputs.0.eve-log.enabled=no", "--set", "stats.enabled=no");
        try {
            Path log = config.directory().resolve("check.log");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SuricataException("Suricata instance " + config.instance() + ": configuration check did not finish in "
                        + CHECK_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                String out = Files.readString(log, StandardCharsets.UTF_8);
                String errors = out.lines().map(SuricataLogLine::parse).filter(l -> l.level() == Level.ERROR)
                        .map(SuricataLogLine::text).collect(Collectors.joining("\n  "));
                throw new SuricataException("Suricata instance " + config.instance() + " rejects its configuration "
                        + config.configFile() + ":\n  " + (errors.isEmpty() ? out.strip() : errors));
            }
        } catch (IOException e) {
            throw new SuricataException("cannot run " + binary + ": " + e.getMessage() + " (run scripts/bootstrap)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SuricataException("interrupted while checking the configuration of Suricata instance " + config.instance());
        }
    }
}
