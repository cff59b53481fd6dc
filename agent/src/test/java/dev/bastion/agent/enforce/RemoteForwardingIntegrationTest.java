package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.agent.metrics.MetricsRegistry;
import dev.bastion.agent.metrics.RemoteForwardingMetrics;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Node 1's {@link RemoteForwarding} on the two-node lab, alone: a node whose underlay address nobody answers gets
 * no entries and is reported, and once it is the real one, its containers' entries are written (the one without
 * a MAC, as another node's pod, with its node's MAC) and the listeners hear of it.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds a lab: needs root")
class RemoteForwardingIntegrationTest {
    private static final String BACKEND_2 = "10.244.2.20";
    private static final String FRONTEND_2 = "10.244.2.10";

    private Lab lab;

    @AfterEach
    void labDown() {
        if (lab != null) {
            lab.down();
        }
    }

    @Test
    void anotherNodesContainersAreWrittenOnceItIsResolvedAndAPodWithoutMacGetsItsNodesMac() throws Exception {
        String prefix = "f" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/two-node.yaml"));
        lab = new Lab(inventory, new LabNames(inventory, prefix), Shell.system());
        lab.up();
        try (Datapath datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-" + prefix.replace("-", "")))) {
            try {
                forwardsNode2sContainersOnceResolved(datapath, inventory);
            } finally {
                datapath.remove();
            }
        }
    }

    private void forwardsNode2sContainersOnceResolved(Datapath datapath, Inventory inventory) throws Exception {
        String namespace = lab.names().nodeNamespace("node1");
        RemoteForwarding remotes = new RemoteForwarding(datapath, DatapathEnforcer.Mode.TC, "node1",
                LabNames.nodeUplink());
        AtomicInteger changes = new AtomicInteger();
        remotes.onChange(changes::incrementAndGet);
        MetricsRegistry metrics = new MetricsRegistry();
        RemoteForwardingMetrics.register(metrics, remotes);
        Inventory pods = withoutMac(inventory, "backend-2");

        PolicyView unanswered = PolicyView.of(withUnderlay(pods, "node2", "10.250.0.99"));
        assertFalse(NetworkNamespace.call(namespace, () -> remotes.sync(unanswered)));
        assertFalse(NetworkNamespace.call(namespace, () -> remotes.sync(unanswered)), "nor at the next sync");
        assertEquals(Set.of("node2"), remotes.unresolvedNodes());
        assertTrue(RemoteForwarding.remoteEntries(datapath).isEmpty());
        assertTrue(metrics.scrape().contains("bastion_remote_nodes_unresolved{node=\"node2\"} 1\n"), metrics.scrape());
        assertEquals(0, changes.get());

        PolicyView real = PolicyView.of(pods);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!NetworkNamespace.call(namespace, () -> remotes.sync(real)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long uplink2 = NetworkNamespace.call(lab.names().nodeNamespace("node2"),
                () -> Interfaces.mac(LabNames.nodeUplink()));
        long uplink1 = NetworkNamespace.call(namespace, () -> Interfaces.mac(LabNames.nodeUplink()));
        int uplinkIndex = NetworkNamespace.call(namespace, () -> Interfaces.index(LabNames.nodeUplink()));
        long frontend2Mac = inventory.container("frontend-2").orElseThrow().mac().orElseThrow().bits();
        assertEquals(Map.of(
                        ip(BACKEND_2), Forward.remote(uplinkIndex, uplink2, uplink2, uplink1),
                        ip(FRONTEND_2), Forward.remote(uplinkIndex, frontend2Mac, uplink2, uplink1)),
                RemoteForwarding.remoteEntries(datapath), "node 1's containers' peers on node 2; backend-2 has no MAC: node 2's stands in");
        assertEquals(Set.of(), remotes.unresolvedNodes());
        assertTrue(metrics.scrape().contains("bastion_remote_containers 2\n"), metrics.scrape());
        assertEquals(1, changes.get(), "the listeners heard of the change once");
        assertTrue(datapath.links().contains(RemoteForwarding.LINK));
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text).bits();
    }

    /** The inventory with {@code name} known without a MAC, as the Kubernetes collector knows other nodes' pods. */
    private static Inventory withoutMac(Inventory inventory, String name) {
        List<Container> containers = inventory.containers().stream().map(c -> !c.name().equals(name) ? c
                : new Container(c.name(), c.containerSet(), c.node(), c.network(), c.ip(), Optional.empty(),
                        c.hostNetwork(), c.labels())).toList();
        return new Inventory(inventory.name(), inventory.underlay(), inventory.nodes(), inventory.networks(), containers,
                inventory.containerSets(), inventory.microservices(), inventory.policies(), inventory.services());
    }

    private static Inventory withUnderlay(Inventory inventory, String node, String underlayIp) {
        List<HostNode> nodes = inventory.nodes().stream().map(n -> !n.name().equals(node) ? n
                : new HostNode(n.name(), Optional.of(Ipv4Address.parse(underlayIp)))).toList();
        return new Inventory(inventory.name(), inventory.underlay(), nodes, inventory.networks(),
                inventory.containers(), inventory.containerSets(), inventory.microservices(), inventory.policies(),
                inventory.services());
    }
}
