package dev.bastion.agent.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.ChainSteering;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.LabProtection;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabHttp;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.agent.metrics.BridgeMetrics;
import dev.bastion.agent.metrics.ChainEngineMetrics;
import dev.bastion.agent.metrics.DatapathMetrics;
import dev.bastion.agent.metrics.MetricsRegistry;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.BridgeCounters.Counter;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.Alert;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain with the {@code suricata} function on the kill-chain lab, through the agent's own parts: nginx-guest's
 * HTTP requests to redis-guest are steered into the AF_XDP bridge, sent through a real Suricata inline on the
 * chain's port and forwarded once Suricata lets them through. A request Suricata's rule drops never arrives, its
 * alert reaches the agent and the rest of its flow is blocked in XDP; killing Suricata fails the chain closed
 * (or open, when the chain says so) until it is back, and touches no other flow.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "AF_XDP and Suricata on a lab: needs root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuricataChainIntegrationTest {
    private static final String GUEST_SERVER = "http://172.17.0.5:6379/";
    private static final String USER_SERVER = "http://172.17.0.3:6379/";
    private static final long FORBIDDEN_SID = 9000001;
    private static final String CHAIN = """
            apiVersion: bastion.dev/v1
            kind: SecurityChain
            name: guest-ids
            context:
              containerSets: [nginx-guest]
            flows:
              containerSets: [redis-guest]
              ports: [tcp/6379]
            functions:
              - name: suricata
                config:
                  rules: [http-forbidden.rules]
            """;

    private final Shell shell = Shell.system();
    private final List<Process> servers = new ArrayList<>();
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    private final MetricsRegistry metrics = new MetricsRegistry();
    @TempDir
    static Path dir;
    private Lab lab;
    private Inventory inventory;
    private Datapath datapath;
    private DatapathEnforcer enforcer;
    private ChainEngine engine;
    private Bridge bridge;
    private SuricataPorts ports;
    private FunctionRegistry registry;
    private ChainDirectory directory;
    private Path chains;
    private String node;

    @BeforeAll
    void chainThroughSuricata() throws Exception {
        String prefix = "s" + UUID.randomUUID().toString().substring(0, 6) + "-";
        inventory = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
        LabNames names = new LabNames(inventory, prefix);
        node = names.nodeNamespace("node1");
        lab = new Lab(inventory, names, shell);
        lab.up();
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        Files.createDirectories(www.resolve("admin"));
        Files.writeString(www.resolve("admin/index.html"), "secret\n");
        serve("redis-guest", "172.17.0.5", www);
        serve("redis-user", "172.17.0.3", www);
        chains = Files.createDirectories(dir.resolve("chains"));
        Files.writeString(chains.resolve("guest-ids.yaml"), CHAIN);

        datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-" + prefix.replace("-", "")));
        enforcer = LabProtection.protect(lab, datapath, DatapathEnforcer.Mode.XDP);
        engine = new ChainEngine(ChainEngine.Settings.DEFAULT, alerts::add, Clock.systemUTC(), System::nanoTime);
        bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT);
        bridge.start();
        // The agent runs in the node's namespace; here only Suricata and the port's interfaces are put there.
        ports = new SuricataPorts(new SuricataNode(datapath, bridge,
                new SuricataCommand(SuricataConfigTest.SURICATA, List.of("ip", "netns", "exec", node)),
                Path.of("../examples/rules"), dir.resolve("run"),
                new SuricataSupervisor.Timings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(3),
                        Duration.ofSeconds(6), Duration.ofSeconds(60)),
                alerts::add, Optional.of(Path.of("/run/netns", node))));
        registry = FunctionRegistry.fromClassPath(getClass().getClassLoader()).with(new SuricataFunctionFactory(ports));
        SuricataMetrics.register(metrics, ports::supervisors);
        ChainEngineMetrics.register(metrics, engine);
        BridgeMetrics.register(metrics, bridge);
        DatapathMetrics.register(metrics, datapath.counters(), () -> Map.of("nginx-guest",
                enforcer.protectedAs("nginx-guest").orElseThrow()));
        directory = new ChainDirectory(chains, registry, engine,
                new ChainSteering(datapath, enforcer, bridge)::apply);
        reload();
        assertTrue(suricata().awaitState(SuricataState.RUNNING, Duration.ofSeconds(60)), "state " + suricata().state());
    }

    @AfterAll
    void removeEverything() {
        servers.forEach(Process::destroyForcibly);
        try {
            if (ports != null) {
                ports.close();
            }
            if (bridge != null) {
                bridge.close();
            }
            if (engine != null) {
                engine.close();
            }
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (datapath != null) {
                datapath.remove();
                datapath.close();
            }
            if (lab != null) {
                lab.down();
            }
        }
    }

    @Test
    @Order(1)
    void allowedRequestsGoThroughSuricataBothWays() throws Exception {
        long sent = bridge.counters().get(Counter.EXTERNAL_SENT);
        long returned = bridge.counters().get(Counter.EXTERNAL_RETURNED);
        long repliesSteered = steered("redis-guest");
        assertEquals("hello", get("nginx-guest", GUEST_SERVER, 5), "an allowed request passes Suricata");
        assertTrue(bridge.counters().get(Counter.EXTERNAL_SENT) > sent, "frames were sent to Suricata");
        assertTrue(bridge.counters().get(Counter.EXTERNAL_RETURNED) > returned, "Suricata let them through");
        assertTrue(steered("redis-guest") > repliesSteered, "replies go through the chain too");
        long suricataSeen = suricata().lastStats().map(s -> s.counter("ips.accepted")).orElse(0L);
        assertTrue(awaitStats(s -> s.counter("ips.accepted") > suricataSeen), "Suricata counted the packets it accepted");
    }

    @Test
    @Order(2)
    void aRequestSuricataDropsNeverArrivesAlertsAndBlocksItsFlowInTheKernel() throws Exception {
        long blockedBefore = datapathDrops("nginx-guest", Reason.OVERRIDE_BLOCK);
        assertEquals("", get("nginx-guest", GUEST_SERVER + "admin/", 3), "Suricata drops the request");
        Alert alert = awaitAlert(a -> a.message().contains("[sid " + FORBIDDEN_SID + "]"));
        assertEquals("guest-ids", alert.chain());
        assertEquals("suricata", alert.function());
        assertEquals(Verdict.BLOCK_FLOW, alert.action());
        assertEquals(6379, alert.flow().destinationPort());
        assertTrue(Files.readString(dir.resolve("redis-guest.log")).lines().noneMatch(l -> l.contains("/admin")),
                "the server never saw the forbidden request");
        assertTrue(datapathDrops("nginx-guest", Reason.OVERRIDE_BLOCK) > blockedBefore,
                "the client's retransmissions of the blocked flow die in XDP");
        assertEquals("hello", get("nginx-guest", GUEST_SERVER, 5), "a new flow is inspected afresh");

        String scrape = metrics.scrape();
        for (String line : List.of("bastion_suricata_up{instance=\"0-guest-ids\"} 1",
                "bastion_chain_packets_total{chain=\"guest-ids\",verdict=\"pass\"} ",
                "bastion_bridge_frames_total{counter=\"external_returned\"} ",
                "bastion_datapath_packets_total{container=\"nginx-guest\",reason=\"override_block\"} ")) {
            assertTrue(scrape.lines().anyMatch(l -> l.startsWith(line) && !l.endsWith(" 0")), line + " in\n" + scrape);
        }
    }

    @Test
    @Order(3)
    void flowsNoChainSelectsNeverReachUserSpace() throws Exception {
        long received = bridge.counters().get(Counter.RX);
        assertEquals("hello", get("nginx-user", USER_SERVER, 5));
        assertEquals(received, bridge.counters().get(Counter.RX));
    }

    @Test
    @Order(4)
    void killedSuricataFailsTheChainClosedUntilItIsBackAndNothingElseNotices() throws Exception {
        long pid = suricata().pid().orElseThrow();
        shell.run(List.of("kill", "-9", Long.toString(pid)));
        awaitDown();
        assertEquals("", get("nginx-guest", GUEST_SERVER, 1), "fail-closed: nothing passes while Suricata is down");
        assertEquals("hello", get("nginx-user", USER_SERVER, 1), "flows outside the chain are not affected");
        assertTrue(suricata().awaitState(SuricataState.RUNNING, Duration.ofSeconds(60)), "restarted: " + suricata().state());
        assertTrue(suricata().pid().orElseThrow() != pid);
        assertEquals("hello", get("nginx-guest", GUEST_SERVER, 5), "traffic resumes through the new Suricata");
    }

    @Test
    @Order(5)
    void aFailOpenChainForwardsUninspectedWhileSuricataIsDownAndKeepsItsSuricataOnReload() throws Exception {
        SuricataSupervisor before = suricata();
        Files.writeString(chains.resolve("guest-ids.yaml"), CHAIN + "failureMode: open\n");
        reload();
        assertTrue(before == suricata(), "an unchanged suricata function keeps its running Suricata");
        shell.run(List.of("kill", "-9", Long.toString(suricata().pid().orElseThrow())));
        awaitDown();
        assertEquals("hello", get("nginx-guest", GUEST_SERVER, 1), "fail-open: forwarded without Suricata");
        assertTrue(suricata().awaitState(SuricataState.RUNNING, Duration.ofSeconds(60)), "restarted: " + suricata().state());
    }

    private void reload() {
        // The bridge's sockets bind to host-side veths: chains are installed in the node's namespace.
        assertTrue(NetworkNamespace.call(node, () -> directory.reconcile(PolicyView.of(inventory))),
                directory.error().orElse("no change"));
    }

    private SuricataSupervisor suricata() {
        List<SuricataSupervisor> running = ports.supervisors();
        assertEquals(1, running.size(), "one Suricata for the one chain");
        return running.get(0);
    }

    private void awaitDown() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (suricata().isUp() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(suricata().isUp(), "down after kill -9");
    }

    private long steered(String container) {
        return datapath.counters().read(enforcer.protectedAs(container).orElseThrow(), Reason.STEERED).packets();
    }

    private long datapathDrops(String container, Reason reason) {
        return datapath.counters().read(enforcer.protectedAs(container).orElseThrow(), reason).packets();
    }

    private boolean awaitStats(Predicate<EveStats> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (suricata().lastStats().filter(wanted).isPresent()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private Alert awaitAlert(Predicate<Alert> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<Alert> found = alerts.stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such alert within 10 s; alerts: " + alerts);
    }

    private void serve(String container, String ip, Path root) throws Exception {
        servers.add(LabHttp.serve(lab, inventory.container(container).orElseThrow(), ip, 6379, root,
                dir.resolve(container + ".log")));
    }

    private String get(String from, String url, int seconds) throws Exception {
        return LabHttp.get(lab, inventory.container(from).orElseThrow(), url, seconds);
    }
}
