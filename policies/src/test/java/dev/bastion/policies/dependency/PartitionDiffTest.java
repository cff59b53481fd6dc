package dev.bastion.policies.dependency;

import static dev.bastion.policies.dependency.Fixtures.container;
import static dev.bastion.policies.dependency.Fixtures.inventory;
import static dev.bastion.policies.dependency.Fixtures.policy;
import static dev.bastion.policies.dependency.Fixtures.ports;
import static dev.bastion.policies.dependency.Fixtures.rule;
import static dev.bastion.policies.dependency.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionDiffTest {
    private static final List<ContainerSet> SETS = List.of(set("web", null), set("db", null), set("other", null));
    private static final List<Policy> POLICIES = List.of(policy("web", List.of(), List.of(rule("db", "tcp/5432"))));

    private static Map<String, ContainerPartition> partitions(List<Container> containers, List<Policy> policies) {
        Inventory inventory = inventory(containers, SETS, List.of(), policies, List.of());
        return Partitioner.partition(inventory, DependencyExtractor.extract(inventory));
    }

    private static List<Container> base() {
        return new ArrayList<>(List.of(container("web1", "web", 2), container("web2", "web", 3),
                container("db1", "db", 4), container("other1", "other", 5)));
    }

    @Test
    void nothingChangedIsAnEmptyDiff() {
        assertEquals(List.of(), PartitionDiff.between(partitions(base(), POLICIES), partitions(base(), POLICIES)));
    }

    @Test
    void aNewReplicaTouchesOnlyItselfAndItsPeers() {
        List<Container> after = base();
        after.add(container("db2", "db", 6));
        List<ContainerChange> changes = PartitionDiff.between(partitions(base(), POLICIES), partitions(after, POLICIES));
        assertEquals(List.of("web1", "web2", "db2"), changes.stream().map(ContainerChange::container).toList());
        ContainerChange web1 = changes.get(0);
        assertEquals(ContainerChange.Kind.CHANGED, web1.kind());
        assertEquals(List.of("db2"), web1.peersAdded().stream().map(p -> p.peer().container()).toList());
        assertEquals(ports("tcp/5432"), web1.peersAdded().get(0).egress());
        assertTrue(web1.peersChanged().isEmpty() && web1.peersRemoved().isEmpty() && !web1.selfChanged());
        assertTrue(web1.deniedIpsAdded().isEmpty() && web1.deniedIpsRemoved().isEmpty());
        ContainerChange db2 = changes.get(2);
        assertEquals(ContainerChange.Kind.ADDED, db2.kind());
        assertEquals(List.of("web1", "web2"), db2.peersAdded().stream().map(p -> p.peer().container()).toList());
        assertEquals(Set.of(Ipv4Address.parse("10.0.0.1")), db2.deniedIpsAdded());
    }

    @Test
    void aMovedPeerIsRemovedAtItsOldAddressAndAddedAtItsNew() {
        List<Container> after = base();
        after.set(2, container("db1", "db", 9));
        List<ContainerChange> changes = PartitionDiff.between(partitions(base(), POLICIES), partitions(after, POLICIES));
        assertEquals(List.of("web1", "web2", "db1"), changes.stream().map(ContainerChange::container).toList());
        ContainerChange web1 = changes.get(0);
        assertEquals(Ipv4Address.parse("10.0.0.4"), web1.peersRemoved().get(0).peer().ip());
        assertEquals(Ipv4Address.parse("10.0.0.9"), web1.peersAdded().get(0).peer().ip());
        ContainerChange db1 = changes.get(2);
        assertTrue(db1.selfChanged());
        assertEquals(Ipv4Address.parse("10.0.0.9"), db1.selfAfter().orElseThrow().ip());
        assertTrue(db1.peersAdded().isEmpty() && db1.peersRemoved().isEmpty() && db1.peersChanged().isEmpty());
    }

    @Test
    void aPolicyChangeChangesThePortsInPlace() {
        List<Policy> wider = List.of(policy("web", List.of(), List.of(rule("db", "tcp/5432-5433"))));
        List<ContainerChange> changes = PartitionDiff.between(partitions(base(), POLICIES), partitions(base(), wider));
        assertEquals(List.of("web1", "web2", "db1"), changes.stream().map(ContainerChange::container).toList());
        assertEquals(ports("tcp/5432-5433"), changes.get(0).peersChanged().get(0).egress());
        assertEquals(2, changes.get(2).peersChanged().size());
        assertTrue(changes.get(2).peersAdded().isEmpty());
    }

    @Test
    void aRemovedContainerTakesAllItsEntriesAndLeavesItsPeers() {
        List<Container> after = base();
        after.remove(0);
        List<ContainerChange> changes = PartitionDiff.between(partitions(base(), POLICIES), partitions(after, POLICIES));
        assertEquals(List.of("web1", "db1"), changes.stream().map(ContainerChange::container).toList());
        ContainerChange web1 = changes.get(0);
        assertEquals(ContainerChange.Kind.REMOVED, web1.kind());
        assertEquals(List.of("db1"), web1.peersRemoved().stream().map(p -> p.peer().container()).toList());
        assertEquals(Set.of(Ipv4Address.parse("10.0.0.1")), web1.deniedIpsRemoved());
        assertTrue(web1.selfAfter().isEmpty());
        assertEquals(List.of("web1"), changes.get(1).peersRemoved().stream().map(p -> p.peer().container()).toList());
    }
}
