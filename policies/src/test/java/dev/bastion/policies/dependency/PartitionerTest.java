package dev.bastion.policies.dependency;

import static dev.bastion.policies.dependency.Fixtures.ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.PortSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    private static Map<String, ContainerPartition> partition(String topology) throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies", topology));
        return Partitioner.partition(inventory, DependencyExtractor.extract(inventory));
    }

    @Test
    void theGuestsPartitionHoldsOnlyItsRedisAndDeniesTheGateway() throws Exception {
        Map<String, ContainerPartition> partitions = partition("kill-chain.yaml");
        assertFalse(partitions.containsKey("node-exporter"), "a host-network container has no interface of its own");
        ContainerPartition guest = partitions.get("nginx-guest");
        assertEquals(Ipv4Address.parse("172.17.0.4"), guest.self().ip());
        assertEquals(1, guest.peers().size());
        PeerAccess redis = guest.peers().get(0);
        assertEquals("redis-guest", redis.peer().container());
        assertEquals(Ipv4Address.parse("172.17.0.5"), redis.peer().ip());
        assertEquals(ports("tcp/6379"), redis.egress());
        assertEquals(List.of(), redis.ingress());
        assertEquals(java.util.Set.of(Ipv4Address.parse("172.17.0.1")), guest.deniedIps());

        PeerAccess back = partitions.get("redis-guest").peers().get(0);
        assertEquals("nginx-guest", back.peer().container());
        assertEquals(List.of(), back.egress());
        assertEquals(ports("tcp/6379"), back.ingress(), "the peer may open redis-guest's port");
    }

    @Test
    void servicesListOnlyBackendsTheContainerMayReach() throws Exception {
        Map<String, ContainerPartition> partitions = partition("webservice.yaml");
        ServiceEntry database = partitions.get("webapp-1").services().get(0);
        assertEquals(Ipv4Address.parse("10.96.0.31"), database.ip());
        assertEquals(PortSpec.parse("tcp/3306"), database.port());
        assertEquals(List.of("database-1"), database.backends().stream().map(b -> b.endpoint().container()).toList());
        assertEquals(3306, database.backends().get(0).targetPort());
        assertTrue(partitions.get("service-1").services().isEmpty(), "service may open 3307 only, the service is 3306");
        assertTrue(partitions.get("webapp-2").peers().stream().noneMatch(p -> p.peer().container().equals("webapp-1")));
    }

    @Test
    void reusesUnchangedPartitions() throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/webservice.yaml"));
        DependencyMap deps = DependencyExtractor.extract(inventory);
        Map<String, ContainerPartition> first = Partitioner.partition(inventory, deps);
        Map<String, ContainerPartition> second = Partitioner.partition(inventory, deps, first);
        first.forEach((name, p) -> assertTrue(p == second.get(name), name));
    }
}
