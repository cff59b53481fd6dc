package dev.bastion.agent.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Shell;
import dev.bastion.agent.metrics.MetricsRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTP traffic through a supervised Suricata running inline at layer 2:
 * client namespace -- veth -- [ips0 | Suricata AF_PACKET IPS | ips1] -- veth -- server namespace, one subnet.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuricataInlineIntegrationTest {
    private static final String SERVER_IP = "10.66.0.2";
    private static final String ALLOWED = "http://" + SERVER_IP + ":8080/";
    private static final String FORBIDDEN = "http://" + SERVER_IP + ":8080/admin/";
    private static final long FORBIDDEN_SID = 9000001;

    private static final Shell shell = Shell.system();
    private static final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private static final String client = "bsc-" + suffix;
    private static final String middle = "bsm-" + suffix;
    private static final String server = "bss-" + suffix;
    private static final BlockingQueue<EveEvent> events = new LinkedBlockingQueue<>();
    private static final List<SuricataState> states = new CopyOnWriteArrayList<>();
    private static final MetricsRegistry metrics = new MetricsRegistry();

    @TempDir
    static Path dir;
    private static Process httpServer;
    private static SuricataSupervisor supervisor;

    @BeforeAll
    static void inlineSuricataBetweenClientAndServer() throws Exception {
        for (String ns : List.of(client, middle, server)) {
            shell.run(List.of("ip", "netns", "add", ns));
            shell.run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        }
        shell.run(List.of("ip", "link", "add", "eth0", "netns", client, "type", "veth", "peer", "name", "ips0", "netns", middle));
        shell.run(List.of("ip", "link", "add", "ips1", "netns", middle, "type", "veth", "peer", "name", "eth0", "netns", server));
        shell.run(List.of("ip", "-n", client, "addr", "add", "10.66.0.1/24", "dev", "eth0"));
        shell.run(List.of("ip", "-n", server, "addr", "add", SERVER_IP + "/24", "dev", "eth0"));
        // Suricata copies frames as they are captured: they must be MTU-sized and carry complete checksums.
        for (List<String> end : List.of(List.of(client, "eth0"), List.of(middle, "ips0"), List.of(middle, "ips1"),
                List.of(server, "eth0"))) {
            shell.run(List.of("ip", "netns", "exec", end.get(0), "ethtool", "-K", end.get(1), "tx", "off", "tso", "off",
                    "gso", "off", "gro", "off"));
            shell.run(List.of("ip", "-n", end.get(0), "link", "set", end.get(1), "up"));
        }
        Path www = Files.createDirectories(dir.resolve("www/admin"));
        Files.writeString(dir.resolve("www/index.html"), "allowed\n");
        Files.writeString(www.resolve("index.html"), "secret\n");
        httpServer = new ProcessBuilder("ip", "netns", "exec", server, "python3", "-m", "http.server", "8080",
                "--bind", SERVER_IP, "--directory", dir.resolve("www").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("http.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();

        SuricataConfig config = new SuricataConfig("it-" + suffix, "ips0", "ips1", Path.of("../examples/rules"),
                List.of("http-forbidden.rules"), List.of("http-events.rules"), dir.resolve("run"), 7300,
                Duration.ofSeconds(2));
        supervisor = new SuricataSupervisor(config,
                new SuricataCommand(SuricataConfigTest.SURICATA, List.of("ip", "netns", "exec", middle)), events::add,
                new SuricataSupervisor.Timings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2),
                        Duration.ofSeconds(4), Duration.ofSeconds(60)));
        supervisor.addListener((from, to) -> states.add(to));
        SuricataMetrics.register(metrics, () -> List.of(supervisor));
        supervisor.start();
        assertTrue(supervisor.awaitState(SuricataState.RUNNING, Duration.ofSeconds(30)), "running: " + supervisor.state());
    }

    @AfterAll
    static void removeEverything() throws Exception {
        List<String> problems = new ArrayList<>();
        if (supervisor != null) {
            supervisor.close();
        }
        if (httpServer != null) {
            httpServer.destroyForcibly().waitFor();
        }
        for (String ns : List.of(client, middle, server)) {
            if (!shell.succeeds(List.of("ip", "netns", "del", ns)) && shell.run(List.of("ip", "netns", "list")).contains(ns)) {
                problems.add("namespace " + ns);
            }
        }
        assertTrue(problems.isEmpty(), "left behind: " + problems);
    }

    @Test
    @Order(1)
    void allowedRequestPassesAndForbiddenOneIsDroppedWithABlockedAlert() throws Exception {
        assertEquals("allowed\n", get(ALLOWED, 10));
        assertFalse(curl(FORBIDDEN, 2).succeeded, "the forbidden request must not get an answer");
        EveAlert alert = (EveAlert) await(e -> e instanceof EveAlert a && a.signatureId() == FORBIDDEN_SID);
        assertEquals(EveAlert.Action.BLOCKED, alert.action());
        assertEquals(new EveTuple("10.66.0.1", alert.tuple().srcPort(), SERVER_IP, 8080, "TCP"), alert.tuple());
        EveDrop drop = (EveDrop) await(e -> e instanceof EveDrop d && d.flowId() == alert.flowId());
        assertEquals("rules", drop.reason());
        assertTrue(Files.readString(dir.resolve("http.log")).lines().noneMatch(l -> l.contains("/admin")),
                "the server never saw the forbidden request");
        // Suricata's own counters arrive over EVE too.
        EveStats stats = (EveStats) await(e -> e instanceof EveStats s && s.counter("ips.blocked") > 0);
        assertTrue(stats.counter("ips.accepted") > 0);
        String scrape = metrics.scrape();
        String instance = "{instance=\"" + supervisor.config().instance() + "\"";
        assertTrue(scrape.contains("bastion_suricata_up" + instance + "} 1\n"), scrape);
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("bastion_suricata_packets_total" + instance + ",verdict=\"blocked\"} ")
                && !l.endsWith(" 0")), scrape);
    }

    @Test
    @Order(2)
    void killedSuricataIsDownUntilRestartedThenTrafficResumes() throws Exception {
        long pid = supervisor.pid().orElseThrow();
        states.clear();
        shell.run(List.of("kill", "-9", Long.toString(pid)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (supervisor.isUp() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(supervisor.isUp(), "down after kill -9");
        // Inline means fail-closed here: with no Suricata nothing joins the two halves.
        assertFalse(curl(ALLOWED, 1).succeeded, "no traffic while Suricata is down");
        assertTrue(supervisor.awaitState(SuricataState.RUNNING, Duration.ofSeconds(30)), "running again: " + supervisor.state());
        assertEquals(List.of(SuricataState.RESTARTING, SuricataState.STARTING, SuricataState.RUNNING), states);
        assertEquals(1, supervisor.restarts());
        assertTrue(metrics.scrape().contains("bastion_suricata_restarts_total{instance=\"" + supervisor.config().instance() + "\"} 1\n"));
        assertTrue(supervisor.pid().orElseThrow() != pid);
        assertEquals("allowed\n", get(ALLOWED, 10));
        events.clear();
        assertFalse(curl(FORBIDDEN, 2).succeeded, "still dropped after the restart");
        await(e -> e instanceof EveAlert a && a.signatureId() == FORBIDDEN_SID && a.action() == EveAlert.Action.BLOCKED);
    }

    private record Curl(boolean succeeded, String body) {
    }

    private static Curl curl(String url, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", client, "curl", "-sS", "-m", Integer.toString(seconds), url)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String body = new String(p.getInputStream().readAllBytes());
        return new Curl(p.waitFor() == 0, body);
    }

    /** The body of a request that should succeed; retried briefly while the HTTP server or Suricata settles. */
    private static String get(String url, int attempts) throws IOException, InterruptedException {
        for (int i = 1; ; i++) {
            Curl c = curl(url, 2);
            if (c.succeeded || i == attempts) {
                assertTrue(c.succeeded, url + " failed " + attempts + " times");
                return c.body;
            }
            Thread.sleep(300);
        }
    }

    private static EveEvent await(Predicate<EveEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            EveEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        assertNotNull(null, "no matching EVE event within 10 s");
        return null;
    }
}
