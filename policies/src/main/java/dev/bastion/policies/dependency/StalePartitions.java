package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which containers' partitions a change of inventory can reach. A partition is made of the container's own
 * endpoint and set, the sets its set reaches or is reached by (with their members' endpoints), the services and
 * the denied addresses. So it is stale when its endpoint or set changed, when its set's dependencies changed, or
 * when a set its set depends on (either way) gained, lost or changed a member; a change of services or of denied
 * addresses reaches every partition.
 */
final class StalePartitions {

    private StalePartitions() {
    }

    static Predicate<Container> between(Inventory before, DependencyMap depsBefore, Inventory after,
            DependencyMap depsAfter) {
        if (!before.services().equals(after.services())
                || !Partitioner.deniedIps(before).equals(Partitioner.deniedIps(after))
                || !Partitioner.deniedMacs(before).equals(Partitioner.deniedMacs(after))) {
            return c -> true;
        }
        Set<String> moved = moved(Partitioner.endpoints(before), Partitioner.endpoints(after));
        for (Container c : after.containers()) {
            if (!Objects.equals(depsBefore.containerSet(c.name()), depsAfter.containerSet(c.name()))) {
                moved.add(c.name());
            }
        }
        Set<String> sets = new HashSet<>();
        before.containers().forEach(c -> sets.add(c.containerSet()));
        after.containers().forEach(c -> sets.add(c.containerSet()));
        Set<String> touched = new HashSet<>();
        for (String set : sets) {
            if (!depsBefore.members(set).equals(depsAfter.members(set))) {
                touched.add(set);
            }
        }
        for (String container : moved) {
            touched.add(depsBefore.containerSet(container));
            touched.add(depsAfter.containerSet(container));
        }
        Set<String> staleSets = new HashSet<>();
        for (String set : sets) {
            Map<String, ?> reached = depsAfter.reachedBy(set);
            Map<String, ?> reaching = depsAfter.reaching(set);
            if (!reached.equals(depsBefore.reachedBy(set)) || !reaching.equals(depsBefore.reaching(set))
                    || reached.keySet().stream().anyMatch(touched::contains)
                    || reaching.keySet().stream().anyMatch(touched::contains)) {
                staleSets.add(set);
            }
        }
        return c -> moved.contains(c.name()) || staleSets.contains(c.containerSet());
    }

    /** Containers that came, went, or whose endpoint changed. */
    private static Set<String> moved(Map<String, Endpoint> before, Map<String, Endpoint> after) {
        Set<String> out = new HashSet<>();
        before.forEach((name, endpoint) -> {
            if (!endpoint.equals(after.get(name))) {
                out.add(name);
            }
        });
        after.forEach((name, endpoint) -> {
            if (!before.containsKey(name)) {
                out.add(name);
            }
        });
        return out;
    }
}
