package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabHttp;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.bridge.BridgeCounters;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.Alert;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
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
    @TempDir
    Path dir;
    private Lab lab;
    private Datapath datapath;
    private Bridge bridge;

    @AfterEach
    void removeEverything() {
        servers.forEach(Process::destroyForcibly);
        if (bridge != null) {
            bridge.close();
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
        String prefix = "c" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
        LabNames names = new LabNames(inventory, prefix);
        lab = new Lab(inventory, names, shell);
        lab.up();
        Path www = LabHttp.site(dir);
        serve(inventory, "redis-guest", "172.17.0.5", 6379, www);
        serve(inventory, "redis-user", "172.17.0.3", 6379, www);
        Path chains = LabHttp.adminDenyingChain(dir, "guest-http", "nginx-guest", "redis-guest", "tcp/6379");

        datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-" + prefix.replace("-", "")));
        DatapathEnforcer enforcer = LabProtection.protect(lab, datapath, mode);
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        AlertSink sink = alerts::add;
        String node = names.nodeNamespace("node1");
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
             ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, sink, Clock.systemUTC(),
                     System::nanoTime)) {
            bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT);
            bridge.start();
            ChainSteering steering = new ChainSteering(datapath, enforcer, bridge);
            ChainDirectory directory = new ChainDirectory(chains, registry, engine, steering::apply);
            PolicyView view = PolicyView.of(inventory);
            // The bridge's sockets bind to host-side veths: the chains are installed in the node's namespace.
            assertTrue(NetworkNamespace.call(node, () -> directory.reconcile(view)), directory.error().orElse(""));
            assertEquals(List.of("guest-http"), directory.inForce().definitions().stream().map(d -> d.name()).toList());

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
    }

    private void serve(Inventory inventory, String container, String ip, int port, Path root) throws Exception {
        servers.add(LabHttp.serve(lab, inventory.container(container).orElseThrow(), ip, port, root,
                dir.resolve(container + ".log")));
    }

    private String get(Container from, String url) throws Exception {
        return LabHttp.get(lab, from, url, 3);
    }
}
