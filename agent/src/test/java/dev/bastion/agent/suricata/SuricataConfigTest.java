package dev.bastion.agent.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class SuricataConfigTest {
    static final Path SURICATA = Path.of("/usr/bin/suricata");
    static final Path EXAMPLE_RULES = Path.of("../examples/rules");

    @TempDir
    Path runtime;

    private SuricataConfig config(List<String> bundled) {
        return new SuricataConfig("web-dpi", "sur0a", "sur0b", EXAMPLE_RULES, List.of("http-forbidden.rules"),
                bundled, runtime, 7100, Duration.ofSeconds(5));
    }

    @Test
    void inlineCopyModeBothWaysWithDistinctFanoutGroups() {
        List<Map<String, Object>> afPacket = list(parse(config(List.of())).get("af-packet"));
        assertEquals(2, afPacket.size());
        Map<String, Object> first = afPacket.get(0);
        Map<String, Object> second = afPacket.get(1);
        assertEquals("sur0a", first.get("interface"));
        assertEquals("sur0b", first.get("copy-iface"));
        assertEquals("sur0b", second.get("interface"));
        assertEquals("sur0a", second.get("copy-iface"));
        for (Map<String, Object> side : afPacket) {
            assertEquals("ips", side.get("copy-mode"));
            assertEquals(false, side.get("tpacket-v3"));
            assertEquals(true, side.get("use-mmap"));
            assertEquals("cluster_flow", side.get("cluster-type"));
        }
        assertEquals(7100, first.get("cluster-id"));
        assertEquals(7101, second.get("cluster-id"));
    }

    @Test
    void eveStreamsAlertsDropsFlowsAndStatsToTheInstanceSocket() {
        SuricataConfig config = config(List.of());
        Map<String, Object> yaml = parse(config);
        Map<String, Object> eve = map(list(yaml.get("outputs")).get(0).get("eve-log"));
        assertEquals("unix_stream", eve.get("filetype"));
        assertEquals(config.eveSocket().toString(), eve.get("filename"));
        assertEquals(runtime.resolve("web-dpi").resolve("eve.sock").toAbsolutePath(), config.eveSocket());
        String types = eve.get("types").toString();
        for (String type : List.of("alert", "drop", "flow", "stats")) {
            assertTrue(types.contains(type), type + " in " + types);
        }
        Map<String, Object> stream = map(yaml.get("stream"));
        assertEquals(true, stream.get("inline"));
        assertEquals(true, stream.get("midstream"));
        assertEquals(config.logDirectory().toString(), yaml.get("default-log-dir"));
        assertEquals(EXAMPLE_RULES.toAbsolutePath().toString(), yaml.get("default-rule-path"));
    }

    @Test
    void bundledRulesAreReferencedByAbsolutePath() {
        assumeTrue(Files.isRegularFile(SuricataConfig.BUNDLED_RULES.resolve("http-events.rules")), "Suricata's rules not installed");
        Map<String, Object> yaml = parse(config(List.of("http-events.rules")));
        assertEquals(List.of("http-forbidden.rules", "/etc/suricata/rules/http-events.rules"), yaml.get("rule-files"));
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SuricataConfig("web", "sur0a", "sur0b",
                EXAMPLE_RULES, List.of("missing.rules"), List.of(), runtime, 7100, Duration.ofSeconds(5)))
                .getMessage().contains("missing.rules not found"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SuricataConfig("web", "sur0a", "sur0a",
                EXAMPLE_RULES, List.of("http-forbidden.rules"), List.of(), runtime, 7100, Duration.ofSeconds(5)))
                .getMessage().contains("two different interfaces"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SuricataConfig("Web/1", "sur0a", "sur0b",
                EXAMPLE_RULES, List.of("http-forbidden.rules"), List.of(), runtime, 7100, Duration.ofSeconds(5)))
                .getMessage().contains("instance name"));
        Path deep = runtime.resolve("x".repeat(100));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SuricataConfig("web", "sur0a", "sur0b",
                EXAMPLE_RULES, List.of("http-forbidden.rules"), List.of(), deep, 7100, Duration.ofSeconds(5)))
                .getMessage().contains("too long for a Unix socket path"));
    }

    @Test
    void suricataAcceptsTheGeneratedConfiguration() throws Exception {
        assumeTrue(Files.isExecutable(SURICATA), "Suricata is not installed (scripts/bootstrap)");
        SuricataConfig config = config(List.of("http-events.rules", "stream-events.rules", "decoder-events.rules"));
        config.write();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.directory())));
        SuricataCommand.of(SURICATA).check(config);
    }

    @Test
    void aBadRuleIsReportedWithItsFileAndLine() throws IOException {
        assumeTrue(Files.isExecutable(SURICATA), "Suricata is not installed (scripts/bootstrap)");
        Path rules = Files.createDirectories(runtime.resolve("rules"));
        Files.writeString(rules.resolve("bad.rules"), "# a comment\n"
                + "drop http any any -> any any (msg:\"typo\"; http.uri; contnt:\"/x\"; sid:9000001;)\n");
        SuricataConfig config = new SuricataConfig("bad", "sur0a", "sur0b", rules, List.of("bad.rules"), List.of(),
                runtime, 7100, Duration.ofSeconds(5));
        config.write();
        String message = assertThrows(SuricataException.class, () -> SuricataCommand.of(SURICATA).check(config)).getMessage();
        assertTrue(message.contains("contnt"), message);
        assertTrue(message.contains(rules.resolve("bad.rules") + " at line 2"), message);
    }

    private static Map<String, Object> parse(SuricataConfig config) {
        String text = config.yaml();
        assertTrue(text.startsWith("%YAML 1.1\n---\n"), "Suricata needs the YAML 1.1 header");
        return new Yaml().load(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
