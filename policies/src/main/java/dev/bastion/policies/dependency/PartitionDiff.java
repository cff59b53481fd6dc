package dev.bastion.policies.dependency;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The difference between two partitionings, per container, as the minimal entries to add, change and remove:
 * the datapath applies it instead of flushing and reloading. Unchanged partitions cost one comparison (an
 * identity check when {@link Partitioner} reused the previous instance).
 */
public final class PartitionDiff {
    /** The side of a container that is not there: no identity, no entries. */
    private static final ContainerPartition NONE = new ContainerPartition(null, List.of(), Set.of(), Set.of(), List.of());

    private PartitionDiff() {
    }

    public static List<ContainerChange> between(Map<String, ContainerPartition> before,
            Map<String, ContainerPartition> after) {
        List<ContainerChange> changes = new ArrayList<>();
        for (var entry : before.entrySet()) {
            ContainerPartition then = entry.getValue();
            ContainerPartition now = after.get(entry.getKey());
            if (now == null) {
                changes.add(change(entry.getKey(), ContainerChange.Kind.REMOVED, then, NONE));
            } else if (now != then && !now.equals(then)) {
                changes.add(change(entry.getKey(), ContainerChange.Kind.CHANGED, then, now));
            }
        }
        for (var entry : after.entrySet()) {
            if (!before.containsKey(entry.getKey())) {
                changes.add(change(entry.getKey(), ContainerChange.Kind.ADDED, NONE, entry.getValue()));
            }
        }
        return changes;
    }


    private static ContainerChange change(String name, ContainerChange.Kind kind, ContainerPartition then,
            ContainerPartition now) {
        Keyed<PeerAccess> peers = keyed(then.peers(), now.peers(), p -> p.peer());
        Keyed<ServiceEntry> services = keyed(then.services(), now.services(), s -> s.ip() + " " + s.port());
        return new ContainerChange(name, kind, Optional.ofNullable(then.self()), Optional.ofNullable(now.self()),
                peers.added, peers.changed, peers.removed,
                minus(now.deniedIps(), then.deniedIps()), minus(then.deniedIps(), now.deniedIps()),
                minus(now.deniedMacs(), then.deniedMacs()), minus(then.deniedMacs(), now.deniedMacs()),
                services.added, services.changed, services.removed);
    }

    /** Items matched by key: a key only after is added, only before is removed, on both sides but unequal changed. */
    private static <T> Keyed<T> keyed(List<T> then, List<T> now, Function<T, Object> key) {
        Map<Object, T> old = new LinkedHashMap<>();
        then.forEach(t -> old.put(key.apply(t), t));
        Keyed<T> out = new Keyed<>(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (T t : now) {
            T previous = old.remove(key.apply(t));
            if (previous == null) {
                out.added.add(t);
            } else if (!previous.equals(t)) {
                out.changed.add(t);
            }
        }
        out.removed.addAll(old.values());
        return out;
    }

    private static <T> Set<T> minus(Set<T> a, Set<T> b) {
        Set<T> out = new LinkedHashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private record Keyed<T>(List<T> added, List<T> changed, List<T> removed) {
    }
}
