package dev.bastion.policies.dependency;

import static dev.bastion.policies.dependency.Fixtures.ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.PortSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
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
    void knowingThePreviousInventoryOnlyThePartitionsAChangeReachesAreComputed() throws Exception {
        Inventory before = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
        DependencyMap depsBefore = DependencyExtractor.extract(before);
        Map<String, ContainerPartition> first = Partitioner.partition(before, depsBefore);
        // A stand-in the reuse can be told by: were nginx-user's partition computed, it would not survive.
        ContainerPartition standIn = new ContainerPartition(first.get("nginx-user").self(), List.of(), Set.of(),
                Set.of(), List.of());
        Map<String, ContainerPartition> previous = new HashMap<>(first);
        previous.put("nginx-user", standIn);

        Inventory after = withContainers(before, before.containers().stream()
                .map(c -> c.name().equals("redis-guest") ? withIp(c, "172.17.0.9") : c).toList());
        DependencyMap depsAfter = DependencyExtractor.extract(after);
        Map<String, ContainerPartition> next = Partitioner.partition(after, depsAfter, before, depsBefore, previous);

        assertSame(standIn, next.get("nginx-user"), "nothing nginx-user's partition is made of changed");
        assertSame(first.get("redis-user"), next.get("redis-user"));
        Map<String, ContainerPartition> full = Partitioner.partition(after, depsAfter);
        assertEquals(full.get("nginx-guest"), next.get("nginx-guest"), "its peer moved");
        assertEquals(full.get("redis-guest"), next.get("redis-guest"));
        assertNotSame(standIn, Partitioner.partition(after, depsAfter, previous).get("nginx-user"),
                "without the previous inventory every partition is computed");
    }

    @Test
    void partitioningFromThePreviousOneGivesWhatAFullPartitioningGives() throws Exception {
        Inventory twoNode = InventoryReader.read(Path.of("../examples/topologies/two-node.yaml"));
        Inventory webservice = InventoryReader.read(Path.of("../examples/topologies/webservice.yaml"));
        Map<String, Inventory> changes = new LinkedHashMap<>();
        changes.put("an address changes", change(twoNode, "backend-2", c -> withIp(c, "10.244.2.21")));
        changes.put("a container goes", withContainers(twoNode, twoNode.containers().stream()
                .filter(c -> !c.name().equals("frontend-2")).toList()));
        changes.put("a container changes set", change(twoNode, "backend-2", c -> new Container(c.name(), "frontend",
                c.node(), c.network(), c.ip(), c.mac(), c.hostNetwork(), c.labels())));
        changes.put("a remote container loses its MAC", change(twoNode, "backend-2", c -> new Container(c.name(),
                c.containerSet(), c.node(), c.network(), c.ip(), Optional.empty(), c.hostNetwork(), c.labels())));
        changes.put("the policies go", new Inventory(webservice.name(), webservice.underlay(), webservice.nodes(),
                webservice.networks(), webservice.containers(), webservice.containerSets(), webservice.microservices(),
                List.of(), webservice.services()));
        changes.put("a service goes", new Inventory(webservice.name(), webservice.underlay(), webservice.nodes(),
                webservice.networks(), webservice.containers(), webservice.containerSets(), webservice.microservices(),
                webservice.policies(), List.of()));
        changes.forEach((what, after) -> {
            Inventory before = after.name().equals(twoNode.name()) ? twoNode : webservice;
            DependencyMap depsBefore = DependencyExtractor.extract(before);
            DependencyMap depsAfter = DependencyExtractor.extract(after);
            Map<String, ContainerPartition> full = Partitioner.partition(after, depsAfter);
            assertNotEquals(Partitioner.partition(before, depsBefore), full, what + " changes some partition");
            assertEquals(full, Partitioner.partition(after, depsAfter, before, depsBefore,
                    Partitioner.partition(before, depsBefore)), what);
        });
    }

    private static Inventory change(Inventory inventory, String container, UnaryOperator<Container> change) {
        return withContainers(inventory, inventory.containers().stream()
                .map(c -> c.name().equals(container) ? change.apply(c) : c).toList());
    }

    private static Inventory withContainers(Inventory i, List<Container> containers) {
        return new Inventory(i.name(), i.underlay(), i.nodes(), i.networks(), containers, i.containerSets(),
                i.microservices(), i.policies(), i.services());
    }

    private static Container withIp(Container c, String ip) {
        return new Container(c.name(), c.containerSet(), c.node(), c.network(), Optional.of(Ipv4Address.parse(ip)),
                c.mac(), c.hostNetwork(), c.labels());
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
