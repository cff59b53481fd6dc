package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabHttp;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.LabRedis;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.bridge.BridgeCounters;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainMetrics;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.Alert;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain file on the kill-chain lab, through the agent's own parts: the chains directory compiles steering, the
 * datapath steers nginx-guest -> redis-guest into the AF_XDP bridge, the engine runs http-filter, and a request for
 * /admin dies while others pass in both directions; flows no chain selects never reach the bridge.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "AF_XDP on a lab: needs root")
class ChainSteeringIntegrationTest {
    private final Shell shell = Shell.system();
    private final List<Process> servers = new ArrayList<>();
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;
    private Inventory inventory;
    private Lab lab;
    private Datapath datapath;
    private FunctionRegistry registry;
    private ChainEngine engine;
    private Bridge bridge;
    private DatapathEnforcer enforcer;

    @AfterEach
    void removeEverything() {
        servers.forEach(Process::destroyForcibly);
        if (bridge != null) {
            bridge.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (datapath != null) {
            datapath.remove();
            datapath.close();
        }
        if (lab != null) {
            lab.down();
        }
    }

    @ParameterizedTest
    @EnumSource(DatapathEnforcer.Mode.class)
    void aChainDropsAForbiddenRequestAndLeavesOtherFlowsInTheKernel(DatapathEnforcer.Mode mode) throws Exception {
        String prefix = upLab();
        Path www = LabHttp.site(dir);
        serve("redis-guest", "172.17.0.5", 6379, www);
        serve("redis-user", "172.17.0.3", 6379, www);
        install(mode, prefix, LabHttp.adminDenyingChain(dir, "guest-http", "nginx-guest", "redis-guest", "tcp/6379"),
                "guest-http");

        Container guest = inventory.container("nginx-guest").orElseThrow();
        assertEquals("hello", get(guest, "http://172.17.0.5:6379/"), "an allowed request passes the chain");
        long steered = bridge.counters().get(BridgeCounters.Counter.RX);
        assertTrue(steered > 0, "the flow went through the bridge");
        assertEquals("", get(guest, "http://172.17.0.5:6379/admin/"), "the chain refuses /admin");
        assertTrue(datapath.counters().read(enforcer.protectedAs("nginx-guest").orElseThrow(), Reason.STEERED).packets() > 0);
        assertTrue(datapath.counters().read(enforcer.protectedAs("redis-guest").orElseThrow(), Reason.STEERED).packets() > 0,
                "replies are steered too: both directions go through the same chain");

        long before = bridge.counters().get(BridgeCounters.Counter.RX);
        assertEquals("hello", get(inventory.container("nginx-user").orElseThrow(), "http://172.17.0.3:6379/"));
        assertEquals(before, bridge.counters().get(BridgeCounters.Counter.RX), "a flow no chain selects stays in the kernel");
    }

    @ParameterizedTest
    @EnumSource(DatapathEnforcer.Mode.class)
    void redisAclRefusesAForbiddenCommandOfARedisClientInNginxGuest(DatapathEnforcer.Mode mode) throws Exception {
        String prefix = upLab();
        Container redis = inventory.container("redis-guest").orElseThrow();
        Container guest = inventory.container("nginx-guest").orElseThrow();
        servers.add(LabRedis.serve(lab, redis, "172.17.0.5"));
        install(mode, prefix, redisAclChain(), "guest-redis-acl");

        assertEquals("OK", redisCli(guest, "SET", "cart:7", "3 items"), "an allowed command passes the chain");
        assertEquals("3 items", redisCli(guest, "GET", "cart:7"));
        assertEquals(LabRedis.NO_ANSWER, redisCli(guest, "FLUSHALL"), "redis-acl refuses FLUSHALL");
        assertEquals(LabRedis.NO_ANSWER, redisCli(guest, "CONFIG", "SET", "dir", "/tmp"), "and CONFIG");
        assertEquals("3 items", LabRedis.command(lab, redis, "172.17.0.5", 3, List.of("GET", "cart:7")),
                "the server never saw the FLUSHALL: the key is still there");
        ChainMetrics chain = engine.chainMetrics().stream().filter(c -> c.chain().equals("guest-redis-acl"))
                .findFirst().orElseThrow();
        assertTrue(chain.verdicts().get(Verdict.DROP) + chain.verdicts().get(Verdict.BLOCK_FLOW) > 0,
                "the chain counted its refusals");
        assertTrue(datapath.counters().read(enforcer.protectedAs("redis-guest").orElseThrow(), Reason.STEERED)
                .packets() > 0, "Redis's replies went through the chain too");
    }

    /** The kill-chain lab under a fresh prefix; returns the prefix. */
    private String upLab() throws Exception {
        String prefix = "c" + UUID.randomUUID().toString().substring(0, 6) + "-";
        inventory = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
        lab = new Lab(inventory, new LabNames(inventory, prefix), shell);
        lab.up();
        return prefix;
    }

    /**
     * Protects the lab in {@code mode} and puts the chains of {@code chains} in force through the agent's parts:
     * the chain directory compiles steering, the bridge and the engine run the chains.
     */
    private void install(DatapathEnforcer.Mode mode, String prefix, Path chains, String... expected) throws Exception {
        datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-" + prefix.replace("-", "")));
        enforcer = LabProtection.protect(lab, datapath, mode);
        AlertSink sink = alerts::add;
        registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
        engine = new ChainEngine(ChainEngine.Settings.DEFAULT, sink, Clock.systemUTC(), System::nanoTime);
        bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT);
        bridge.start();
        ChainSteering steering = new ChainSteering(datapath, enforcer, bridge);
        ChainDirectory directory = new ChainDirectory(chains, registry, engine, steering::apply);
        PolicyView view = PolicyView.of(inventory);
        // The bridge's sockets bind to host-side veths: the chains are installed in the node's namespace.
        String node = lab.names().nodeNamespace("node1");
        assertTrue(NetworkNamespace.call(node, () -> directory.reconcile(view)), directory.error().orElse(""));
        assertEquals(List.of(expected), directory.inForce().definitions().stream().map(d -> d.name()).toList());
    }

    /** redis-acl on nginx-guest's Redis flows, refusing what wipes or reconfigures the server. */
    private Path redisAclChain() throws Exception {
        Path chains = Files.createDirectories(dir.resolve("chains"));
        Files.writeString(chains.resolve("guest-redis-acl.yaml"), String.join("\n",
                "apiVersion: bastion.dev/v1",
                "kind: SecurityChain",
                "name: guest-redis-acl",
                "context: {containerSets: [nginx-guest]}",
                "flows: {containerSets: [redis-guest], ports: [tcp/6379]}",
                "functions:",
                "  - name: redis-acl",
                "    config: {deny: [FLUSHALL, FLUSHDB, CONFIG]}",
                "failureMode: closed",
                ""));
        return chains;
    }

    private String redisCli(Container from, String... words) {
        return LabRedis.command(lab, from, "172.17.0.5", 3, List.of(words));
    }

    private void serve(String container, String ip, int port, Path root) throws Exception {
        servers.add(LabHttp.serve(lab, inventory.container(container).orElseThrow(), ip, port, root,
                dir.resolve(container + ".log")));
    }

    private String get(Container from, String url) throws Exception {
        return LabHttp.get(lab, from, url, 3);
    }
}
