package dev.bastion.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.DatapathInterfaces;
import dev.bastion.agent.enforce.LabProtection;
import dev.bastion.agent.enforce.RemoteForwarding;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabHttp;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.ForwardingMap;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.collect.StaticCollector;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two agents on the two-node lab, one per node (polling from its node's namespace, its own pins), each with the
 * node's uplink as external interface: frontend-1 (node 1) reaches backend-2 (node 2) end to end, by the datapaths
 * of both nodes and not the nodes' routing; a port no policy opens stops at node 1; a node's new MAC is
 * followed; an inventory without
 * backend-2 takes its forwarding entry away on node 1; and a restarted agent adopts what the stopped one left.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "runs agents on a lab: needs root")
class MultiNodeAgentIntegrationTest {
    private static final String BACKEND_2 = "10.244.2.20";
    private static final String FRONTEND_2 = "10.244.2.10";
    private static final String FRONTEND_1 = "10.244.1.10";
    private static final String NODE_1 = "10.250.0.1";
    private static final String NEW_MAC = "02:00:0a:fa:00:22";
    private static final long NEW_MAC_BITS = 0x02000afa0022L;

    private final Shell shell = Shell.system();
    private final List<Process> servers = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    /** Every datapath instance the test pinned: removed at the end, also those of a stopped agent. */
    private final Set<Path> pins = new HashSet<>();
    @TempDir
    Path dir;
    private Lab lab;
    private Path inventoryFile;

    /** One node's agent and what the test reads of it. */
    private record Node(HostNode host, String namespace, Path pins, Datapath datapath, DatapathEnforcer enforcer, Agent agent) {
        void poll() {
            NetworkNamespace.run(namespace, agent::pollOnce);
        }

        Optional<Forward> forward(String ip) {
            return datapath.forwarding().get(Ipv4Address.parse(ip).bits());
        }

        long packets(String container, Reason reason) {
            return datapath.counters().read(enforcer.protectedAs(container).orElseThrow(), reason).packets();
        }
    }

    @AfterEach
    void removeEverything() {
        servers.forEach(Process::destroyForcibly);
        for (Node node : nodes) {
            node.agent().close();
            node.datapath().close();
        }
        for (Path pin : pins) {
            if (Files.exists(pin)) {
                try (Datapath datapath = Datapath.open(pin)) {
                    datapath.remove();
                }
            }
        }
        if (lab != null) {
            lab.down();
        }
    }

    @ParameterizedTest
    @EnumSource(DatapathEnforcer.Mode.class)
    void allowedPacketsCrossTheNodesEndToEndAndOnlyThey(DatapathEnforcer.Mode mode) throws Exception {
        Inventory inventory = upWithAgents(mode);
        Node node1 = nodes.get(0);
        Node node2 = nodes.get(1);
        long uplink2 = NetworkNamespace.call(node2.namespace(), () -> Interfaces.mac(LabNames.nodeUplink()));
        Forward toBackend2 = node1.forward(BACKEND_2).orElseThrow();
        assertEquals(ForwardingMap.Kind.REMOTE, toBackend2.kind());
        assertEquals(uplink2, toBackend2.nextHopMac(), "node 2's uplink MAC, from node 1's neighbour table");

        Container frontend1 = inventory.container("frontend-1").orElseThrow();
        assertEquals("hello", LabHttp.get(lab, frontend1, "http://" + BACKEND_2 + ":8080/", 3));
        assertTrue(node1.packets("frontend-1", Reason.FORWARD_REMOTE) > 0, "node 1 sent it out of its uplink");
        long delivered = node2.packets("backend-2", Reason.EXT_DELIVERED);
        assertTrue(delivered > 0, "node 2's external program handed it to backend-2");
        assertTrue(node2.packets("backend-2", Reason.FORWARD_REMOTE) > 0, "the replies came back the same way");

        assertEquals("", LabHttp.get(lab, frontend1, "http://" + BACKEND_2 + ":8081/", 2));
        assertTrue(node1.packets("frontend-1", Reason.PORT_DENIED) > 0, "a port no policy opens is dropped");
        assertEquals(delivered, node2.packets("backend-2", Reason.EXT_DELIVERED), "at node 1: node 2 saw none of it");

        // Node 2 gets a new MAC and asks node 1 for its own again: node 1's neighbour entry learns it from the ARP.
        shell.run(List.of("ip", "-n", node2.namespace(), "link", "set", LabNames.nodeUplink(), "address", NEW_MAC));
        shell.run(List.of("ip", "-n", node2.namespace(), "neigh", "flush", "all"));
        shell.run(List.of("ip", "netns", "exec", node2.namespace(), "ping", "-c", "1", "-W", "2", NODE_1));
        await(() -> node1.forward(BACKEND_2).filter(f -> f.nextHopMac() == NEW_MAC_BITS), "node 2's new MAC");
        assertEquals(NEW_MAC_BITS, node2.forward(FRONTEND_1).orElseThrow().externalMac(),
                "node 2's own entries leave from its new MAC");
        long sent = node1.packets("frontend-1", Reason.FORWARD_REMOTE);
        assertEquals("hello", LabHttp.get(lab, frontend1, "http://" + BACKEND_2 + ":8080/", 3));
        assertTrue(node1.packets("frontend-1", Reason.FORWARD_REMOTE) > sent, "end to end to the new MAC");

        removeFromInventory("backend-2", "pods-node2", BACKEND_2);
        nodes.forEach(Node::poll);
        assertEquals(Optional.empty(), node1.forward(BACKEND_2), "a container gone from the inventory loses its entry");
        assertEquals(ForwardingMap.Kind.REMOTE, node1.forward(FRONTEND_2).orElseThrow().kind(),
                "the other containers of node 2 keep theirs");
    }

    @ParameterizedTest
    @EnumSource(DatapathEnforcer.Mode.class)
    void aRestartedAgentAdoptsTheExternalLinkAndDropsEntriesThatWentStaleMeanwhileOrAllOfItWithoutTheSetting(DatapathEnforcer.Mode mode)
            throws Exception {
        Inventory inventory = upWithAgents(mode);
        Node node1 = nodes.remove(0);
        List<String> links = node1.datapath().links();
        assertTrue(links.contains("@external"), "the external program's link is pinned: " + links);
        node1.agent().close();
        node1.datapath().close(); // stopped, as by SIGTERM: the pins stay

        removeFromInventory("frontend-2", "pods-node2", FRONTEND_2);
        Node restarted = agent(node1.host(), mode, node1.pins(), LabNames.nodeUplink());
        assertEquals(links, restarted.datapath().links(), "the same links, adopted");
        assertEquals(Optional.empty(), restarted.forward(FRONTEND_2), "an entry of a container gone meanwhile goes");
        assertEquals(ForwardingMap.Kind.REMOTE, restarted.forward(BACKEND_2).orElseThrow().kind());
        assertEquals("hello", LabHttp.get(lab, inventory.container("frontend-1").orElseThrow(),
                "http://" + BACKEND_2 + ":8080/", 3));
        assertTrue(restarted.packets("frontend-1", Reason.FORWARD_REMOTE) > 0, "still end to end");

        nodes.remove(restarted);
        restarted.agent().close();
        restarted.datapath().close();
        Node single = agent(node1.host(), mode, node1.pins(), "");
        assertFalse(single.datapath().links().contains("@external"), "without an external interface, no program on it");
        assertTrue(single.datapath().forwarding().all().values().stream()
                .noneMatch(f -> f.kind() == ForwardingMap.Kind.REMOTE), "nor remote entries");
    }

    /**
     * Brings the two-node lab up with HTTP servers on backend-2 (8080, which the policies open, and 8081, which
     * they do not), then an agent on each node; returns once each has written its entries for the other node.
     */
    private Inventory upWithAgents(DatapathEnforcer.Mode mode) throws Exception {
        String prefix = "m" + UUID.randomUUID().toString().substring(0, 6) + "-";
        inventoryFile = dir.resolve("inventory.yaml");
        Files.copy(Path.of("../examples/topologies/two-node.yaml"), inventoryFile);
        Inventory inventory = InventoryReader.read(inventoryFile);
        lab = new Lab(inventory, new LabNames(inventory, prefix), shell);
        lab.up();
        Path www = LabHttp.site(dir);
        Container backend2 = inventory.container("backend-2").orElseThrow();
        servers.add(LabHttp.serve(lab, backend2, BACKEND_2, 8080, www, dir.resolve("allowed.log")));
        servers.add(LabHttp.serve(lab, backend2, BACKEND_2, 8081, www, dir.resolve("unpoliced.log")));
        for (HostNode host : inventory.nodes()) {
            agent(host, mode, Datapath.BPFFS_ROOT.resolve(
                    "test-" + prefix.replace("-", "") + UUID.randomUUID().toString().substring(0, 8)),
                    LabNames.nodeUplink());
        }
        await(() -> nodes.get(0).forward(BACKEND_2), "node 2 resolved on node 1");
        await(() -> nodes.get(1).forward(FRONTEND_1), "node 1 resolved on node 2");
        return inventory;
    }

    /** Rewrites the inventory without one container (as the example topology spells it). */
    private void removeFromInventory(String container, String network, String ip) throws Exception {
        String entry = String.join("\n", "  - name: " + container, "    containerSet: "
                + container.substring(0, container.indexOf('-')), "    network: " + network, "    ip: " + ip, "");
        String text = Files.readString(inventoryFile);
        assertTrue(text.contains(entry), container + " in " + text);
        Files.writeString(inventoryFile, text.replace(entry, ""));
    }

    /**
     * Adds an agent for {@code host} as the daemon builds it, its datapath pinned at {@code pins}, with
     * {@code external} as its external interface (empty: none); polls it once.
     */
    private Node agent(HostNode host, DatapathEnforcer.Mode mode, Path pins, String external) throws Exception {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.NODE, host.name());
        settings.put(Setting.INVENTORY, inventoryFile.toString());
        settings.put(Setting.LAB_PREFIX, lab.names().prefix());
        settings.put(Setting.DATAPATH_MODE, mode.name().toLowerCase(Locale.ROOT));
        settings.put(Setting.DATAPATH_EXTERNAL_INTERFACE, external);
        settings.put(Setting.API_ADDRESS, "127.0.0.1:0");
        AgentConfig config = AgentConfig.load(Optional.empty(), Map.of(), settings);
        this.pins.add(pins);
        Datapath datapath = Datapath.open(pins);
        DatapathInterfaces interfaces = DatapathInterfaces.of(config, new StaticCollector(inventoryFile));
        DatapathEnforcer enforcer = new DatapathEnforcer(datapath, mode, interfaces.of(),
                RemoteForwarding.configure(config, datapath, mode));
        Node node = new Node(host, lab.names().nodeNamespace(host), pins, datapath, enforcer,
                new Agent(config, interfaces.collector(), enforcer));
        nodes.add(node);
        if (mode == DatapathEnforcer.Mode.XDP) {
            LabProtection.passUnderlay(lab, datapath, host);
        }
        node.poll();
        return node;
    }

    /** Polls every agent until {@code probe} finds something: the kernel resolves the other node meanwhile. */
    private <T> T await(Supplier<Optional<T>> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
            nodes.forEach(Node::poll);
        }
        throw new AssertionError("not within 10 s: " + what);
    }
}
