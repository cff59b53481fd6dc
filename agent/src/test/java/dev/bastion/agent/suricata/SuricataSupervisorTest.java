package dev.bastion.agent.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bastion.agent.metrics.MetricsRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with a real Suricata that cannot start, or cannot even load its rules. */
class SuricataSupervisorTest {
    static final SuricataSupervisor.Timings FAST = new SuricataSupervisor.Timings(Duration.ofSeconds(20),
            Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(60));

    @TempDir
    Path runtime;
    private final List<SuricataState> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void needsSuricata() {
        assumeTrue(Files.isExecutable(SuricataConfigTest.SURICATA), "Suricata is not installed (scripts/bootstrap)");
    }

    @Test
    void relaunchesWithBackoffWhileItsInterfacesAreMissing() throws Exception {
        String missing = "bsm" + UUID.randomUUID().toString().substring(0, 8);
        SuricataConfig config = new SuricataConfig("missing", missing + "a", missing + "b", SuricataConfigTest.EXAMPLE_RULES,
                List.of("http-forbidden.rules"), List.of(), runtime, 7200, Duration.ofSeconds(5));
        SuricataSupervisor supervisor = new SuricataSupervisor(config, SuricataCommand.of(SuricataConfigTest.SURICATA),
                event -> { }, FAST);
        supervisor.addListener((from, to) -> seen.add(to));
        try {
            supervisor.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (supervisor.restarts() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(supervisor.restarts() >= 3, "relaunched " + supervisor.restarts() + " times");
            assertFalse(supervisor.isUp());
            assertFalse(seen.contains(SuricataState.RUNNING), "never running: " + seen);
            assertEquals(List.of(SuricataState.STARTING, SuricataState.RESTARTING, SuricataState.STARTING), seen.subList(0, 3));
            MetricsRegistry metrics = new MetricsRegistry();
            SuricataMetrics.register(metrics, () -> List.of(supervisor));
            String scrape = metrics.scrape();
            assertTrue(scrape.contains("bastion_suricata_up{instance=\"missing\"} 0\n"), scrape);
            assertTrue(scrape.contains("bastion_suricata_state{instance=\"missing\",state=\"running\"} 0\n"), scrape);
            assertTrue(scrape.lines().anyMatch(l -> l.matches("bastion_suricata_restarts_total\\{instance=\"missing\"} [3-9]")), scrape);
            assertFalse(scrape.contains("bastion_suricata_packets_total{"), "no stats from a Suricata that never ran");
        } finally {
            supervisor.close();
        }
        assertEquals(SuricataState.STOPPED, supervisor.state());
        assertTrue(supervisor.pid().isEmpty());
        assertFalse(Files.exists(config.eveSocket()), "EVE socket removed");
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
                .map(a -> List.of(a).contains(config.configFile().toString())).orElse(false)), "no Suricata left");
    }

    @Test
    void aSuricataLeftByAPreviousAgentIsStoppedBeforeTheFirstLaunch() throws Exception {
        SuricataConfig config = new SuricataConfig("leftover", "bsl0a", "bsl0b", SuricataConfigTest.EXAMPLE_RULES,
                List.of("http-forbidden.rules"), List.of(), runtime, 7200, Duration.ofSeconds(5));
        config.write();
        // A real Suricata that stays up without its interfaces: unix-socket mode waits for commands.
        Process leftover = new ProcessBuilder(SuricataConfigTest.SURICATA.toString(), "-c", config.configFile().toString(),
                "--unix-socket=" + config.directory().resolve("command.sock"), "--runmode", "single",
                "--pidfile", config.pidFile().toString(), "--set", "outputs.0.eve-log.enabled=no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        SuricataSupervisor supervisor = new SuricataSupervisor(config, SuricataCommand.of(SuricataConfigTest.SURICATA),
                event -> { }, FAST);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(config.pidFile()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(Long.toString(leftover.pid()), Files.readString(config.pidFile()).strip());
            supervisor.start();
            assertTrue(leftover.waitFor(15, TimeUnit.SECONDS), "the leftover Suricata was stopped");
            assertEquals(0, leftover.exitValue(), "stopped with SIGTERM, not killed");
        } finally {
            supervisor.close();
            leftover.destroyForcibly();
        }
    }

    @Test
    void aRejectedRuleFileFailsTheStartUntilItIsFixed() throws Exception {
        Path rules = Files.createDirectories(runtime.resolve("rules"));
        Files.writeString(rules.resolve("bad.rules"), "drop http any any -> any any (msg:\"x\"; nosuchkeyword; sid:9000009;)\n");
        SuricataConfig config = new SuricataConfig("rejected", "bsr0a", "bsr0b", rules, List.of("bad.rules"), List.of(),
                runtime, 7200, Duration.ofSeconds(5));
        SuricataSupervisor supervisor = new SuricataSupervisor(config, SuricataCommand.of(SuricataConfigTest.SURICATA),
                event -> { }, FAST);
        supervisor.addListener((from, to) -> seen.add(to));
        try {
            String message = assertThrows(SuricataException.class, supervisor::start).getMessage();
            assertTrue(message.contains("bad.rules at line 1"), message);
            assertEquals(SuricataState.FAILED, supervisor.state());
            assertEquals(List.of(SuricataState.FAILED), seen);
            assertTrue(supervisor.pid().isEmpty());
            assertEquals(0, supervisor.restarts());

            Files.writeString(rules.resolve("bad.rules"), "drop http any any -> any any (msg:\"x\"; sid:9000009;)\n");
            supervisor.start();
            assertEquals(SuricataState.STARTING, seen.get(1), "launched once the rules are fixed: " + seen);
        } finally {
            supervisor.close();
        }
    }
}
