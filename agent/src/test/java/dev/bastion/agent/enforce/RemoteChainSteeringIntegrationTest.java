package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabHttp;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.BridgeCounters.Counter;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainMetrics;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A chain whose flow crosses nodes, on the two-node lab with an agent's parts on each node: frontend-1 (node 1)
 * talks HTTP to backend-2 (node 2) through http-filter. Node 1 runs the chain for both directions (the request
 * leaves through its bridge's uplink, the reply comes back from its external interface into the same chain); node 2
 * steers nothing of that flow, as long as frontend-1 is a remote container there: steering applied again without
 * that entry chains the flow on node 2 instead.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "AF_XDP on a lab: needs root")
class RemoteChainSteeringIntegrationTest {
    private static final String BACKEND_2 = "10.244.2.20";

    private final Shell shell = Shell.system();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<Datapath> datapaths = new ArrayList<>();
    private Process server;
    @TempDir
    Path dir;
    private Lab lab;

    @AfterEach
    void removeEverything() throws Exception {
        if (server != null) {
            server.destroyForcibly();
        }
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        for (Datapath datapath : datapaths) {
            datapath.remove();
            datapath.close();
        }
        if (lab != null) {
            lab.down();
        }
    }

    /** What the test reads of one node: its datapath, enforcer, engine and bridge. */
    private record Node(Datapath datapath, DatapathEnforcer enforcer, ChainEngine engine, Bridge bridge,
            ChainSteering steering) {
    }

    @ParameterizedTest
    @EnumSource(DatapathEnforcer.Mode.class)
    void aChainOnOneNodeInspectsBothDirectionsOfItsFlowToAnotherNode(DatapathEnforcer.Mode mode) throws Exception {
        String prefix = "r" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/two-node.yaml"));
        lab = new Lab(inventory, new LabNames(inventory, prefix), shell);
        lab.up();
        Path www = LabHttp.site(dir);
        server = LabHttp.serve(lab, inventory.container("backend-2").orElseThrow(), BACKEND_2, 8080, www,
                dir.resolve("backend-2.log"));
        Path chains = LabHttp.adminDenyingChain(dir, "frontend-http", "frontend", "backend", "tcp/8080");
        FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
        opened.add(registry);
        Node node1 = node(inventory.nodes().get(0), mode, prefix, chains, registry);
        Node node2 = node(inventory.nodes().get(1), mode, prefix, chains, registry);
        int frontend1 = node1.enforcer().protectedAs("frontend-1").orElseThrow();
        int backend2 = node2.enforcer().protectedAs("backend-2").orElseThrow();

        var frontend = inventory.container("frontend-1").orElseThrow();
        assertEquals("hello", LabHttp.get(lab, frontend, "http://" + BACKEND_2 + ":8080/", 3),
                "an allowed request crosses the nodes through the chain");
        assertTrue(node1.datapath().counters().read(frontend1, Reason.STEERED).packets() > 0, "requests went to the chain");
        assertTrue(node1.datapath().counters().read(frontend1, Reason.EXT_STEERED).packets() > 0,
                "replies from the other node went to the same chain");
        assertTrue(node1.bridge().counters().get(Counter.UPLINK_SENT) > 0, "requests left through the uplink socket");
        long refused = refusals(node1.bridge());
        assertEquals("", LabHttp.get(lab, frontend, "http://" + BACKEND_2 + ":8080/admin/", 3),
                "the chain refuses /admin");
        assertTrue(refusals(node1.bridge()) > refused, "by a verdict of the chain");

        assertEquals(0, node1.bridge().counters().get(Counter.NO_ROUTE));
        ChainMetrics chain = node1.engine().chainMetrics().stream()
                .filter(m -> m.chain().equals("frontend-http")).findFirst().orElseThrow();
        assertEquals(2, chain.flows(), "one flow per request: the replies met the flow their request made");
        assertEquals(0, node1.engine().metrics().unmatched());
        assertEquals(0, node2.bridge().counters().get(Counter.RX), "node 2 chains nothing of node 1's flow");
        assertEquals(0, node2.datapath().counters().read(backend2, Reason.STEERED).packets());
        assertEquals(0, node2.datapath().counters().read(backend2, Reason.EXT_STEERED).packets());
        assertTrue(node2.datapath().counters().read(backend2, Reason.EXT_DELIVERED).packets() > 0);
        assertTrue(node2.datapath().counters().read(backend2, Reason.FORWARD_REMOTE).packets() > 0,
                "replies leave node 2 by the datapath");
    }

    @Test
    void theDestinationsNodeChainsTheFlowWhileItsSourceIsNoRemoteEntryThere() throws Exception {
        String prefix = "r" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/two-node.yaml"));
        lab = new Lab(inventory, new LabNames(inventory, prefix), shell);
        lab.up();
        Path chains = LabHttp.adminDenyingChain(dir, "frontend-http", "frontend", "backend", "tcp/8080");
        FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
        opened.add(registry);
        Node node2 = node(inventory.nodes().get(1), DatapathEnforcer.Mode.TC, prefix, chains, registry);
        int backend2 = node2.enforcer().protectedAs("backend-2").orElseThrow();
        int frontend1 = Ipv4Address.parse("10.244.1.10").bits();
        Forward remote = node2.datapath().forwarding().get(frontend1).orElseThrow();
        assertEquals(Optional.empty(), node2.datapath().steering().get(backend2, frontend1),
                "frontend-1's node chains the flow");

        String namespace = lab.names().nodeNamespace(inventory.nodes().get(1));
        node2.datapath().forwarding().remove(frontend1);
        NetworkNamespace.run(namespace, node2.steering()::reapply);
        assertTrue(node2.datapath().steering().get(backend2, frontend1).isPresent(),
                "with frontend-1 no remote container here, backend-2's node chains it");

        node2.datapath().forwarding().put(frontend1, remote);
        NetworkNamespace.run(namespace, node2.steering()::reapply);
        assertEquals(Optional.empty(), node2.datapath().steering().get(backend2, frontend1), "and back");
    }

    private static long refusals(Bridge bridge) {
        return bridge.counters().get(Counter.VERDICT_DROP) + bridge.counters().get(Counter.VERDICT_BLOCK_FLOW);
    }

    private Node node(HostNode host, DatapathEnforcer.Mode mode, String prefix, Path chains, FunctionRegistry registry) {
        String namespace = lab.names().nodeNamespace(host);
        Datapath datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-" + prefix.replace("-", "") + host.name()));
        datapaths.add(datapath);
        DatapathEnforcer enforcer = LabProtection.protectNode(lab, datapath, mode, host);
        ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD, Clock.systemUTC(),
                System::nanoTime);
        opened.add(engine);
        Bridge bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT);
        opened.add(bridge);
        bridge.start();
        ChainSteering steering = new ChainSteering(datapath, enforcer, bridge);
        ChainDirectory directory = new ChainDirectory(chains, registry, engine, steering::apply);
        PolicyView view = PolicyView.of(lab.inventory());
        assertTrue(NetworkNamespace.call(namespace, () -> directory.reconcile(view)), directory.error().orElse(""));
        return new Node(datapath, enforcer, engine, bridge, steering);
    }
}
