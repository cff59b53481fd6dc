package dev.bastion.bench.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.PortSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BenchPartitionsTest {
    private Map<String, ContainerPartition> inventory;

    @BeforeEach
    void partitionTheKillChain() throws Exception {
        inventory = PolicyView.of(InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"))).partitions();
    }

    @Test
    void keepsTheInventorysPolicyAndOpensTheBenchmarksFlowsBothWays() {
        ContainerPartition nginx = BenchPartitions.of(inventory, 0).get("nginx-user");
        PeerAccess redis = peer(nginx, "172.17.0.3");
        assertTrue(redis.egress().containsAll(specs("tcp/6379", "tcp/5201", "tcp/11111", "udp/11111")), redis.toString());
        assertTrue(redis.ingress().containsAll(specs("tcp/5201", "tcp/11111", "udp/11111")), redis.toString());
        assertEquals(3, nginx.peers().size(), "the three other containers with an interface of their own");
        assertEquals(inventory.get("nginx-user").deniedIps(), nginx.deniedIps());
    }

    @Test
    void addsPoliciesForPeersThatDoNotExist() {
        ContainerPartition nginx = BenchPartitions.of(inventory, 500).get("nginx-user");
        assertEquals(503, nginx.peers().size());
        PeerAccess last = peer(nginx, "10.254.1.250");
        assertEquals(specs("tcp/1499"), last.egress());
        assertTrue(last.ingress().isEmpty());
    }

    @Test
    void opensTheBenchmarksFlowsToContainersOnOtherNodes() throws Exception {
        Map<String, ContainerPartition> twoNodes = PolicyView.of(
                InventoryReader.read(Path.of("../examples/topologies/two-node.yaml"))).partitions();
        assertTrue(twoNodes.get("frontend-1").peers().stream().noneMatch(a -> a.peer().ip().equals(
                Ipv4Address.parse("10.244.2.10"))), "the inventory alone gives frontend-1 no access to frontend-2");
        ContainerPartition frontend = BenchPartitions.of(twoNodes, 0).get("frontend-1");
        PeerAccess remote = peer(frontend, "10.244.2.20");
        assertEquals("node2", remote.peer().node());
        assertTrue(remote.egress().containsAll(specs("tcp/8080", "tcp/5201", "tcp/11111", "udp/11111")), remote.toString());
        assertTrue(remote.ingress().containsAll(specs("tcp/5201", "tcp/11111", "udp/11111")), remote.toString());
        assertEquals(3, frontend.peers().size(), "every other container, on either node");
    }

    private static List<PortSpec> specs(String... texts) {
        return Stream.of(texts).map(PortSpec::parse).toList();
    }

    private static PeerAccess peer(ContainerPartition p, String ip) {
        return p.peers().stream().filter(a -> a.peer().ip().equals(Ipv4Address.parse(ip))).findFirst().orElseThrow();
    }
}
