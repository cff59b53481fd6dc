package dev.bastion.policies.dependency;

import dev.bastion.policies.model.PortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inter-container dependency map: for each ordered pair of containers, the ports of the second that the
 * first may open. Replicas of a container set share their policies, so the map is held per pair of container
 * sets and expanded to containers on demand: 10,000 containers in 1,000 sets cost the edges between sets,
 * not the pairs between containers. A container never depends on itself.
 */
public final class DependencyMap {
    private final Map<String, String> setOfContainer;
    private final Map<String, List<String>> membersOfSet;
    private final Map<String, Map<String, List<PortSpec>>> outgoing;
    private final Map<String, Map<String, List<PortSpec>>> incoming;

    DependencyMap(Map<String, String> setOfContainer, Map<String, List<String>> membersOfSet,
            Map<String, Map<String, List<PortSpec>>> outgoing, Map<String, Map<String, List<PortSpec>>> incoming) {
        this.setOfContainer = setOfContainer;
        this.membersOfSet = membersOfSet;
        this.outgoing = outgoing;
        this.incoming = incoming;
    }

    /** The ports of {@code to} that {@code from} may open; empty when {@code from} may not reach {@code to}. */
    public List<PortSpec> allowed(String from, String to) {
        String fromSet = setOfContainer.get(from);
        String toSet = setOfContainer.get(to);
        if (fromSet == null || toSet == null || from.equals(to)) {
            return List.of();
        }
        return betweenSets(fromSet, toSet);
    }

    /** The ports any member of {@code toSet} opens to any other member of {@code fromSet}. */
    public List<PortSpec> betweenSets(String fromSet, String toSet) {
        return outgoing.getOrDefault(fromSet, Map.of()).getOrDefault(toSet, List.of());
    }

    /** Container sets that members of {@code set} may reach, with the ports. */
    public Map<String, List<PortSpec>> reachedBy(String set) {
        return outgoing.getOrDefault(set, Map.of());
    }

    /** Container sets whose members may reach members of {@code set}, with the ports. */
    public Map<String, List<PortSpec>> reaching(String set) {
        return incoming.getOrDefault(set, Map.of());
    }

    /** The containers of a set, in inventory order. */
    public List<String> members(String set) {
        return membersOfSet.getOrDefault(set, List.of());
    }

    public String containerSet(String container) {
        return setOfContainer.get(container);
    }

    public Set<String> containers() {
        return setOfContainer.keySet();
    }

    /** Every dependency between two containers, expanded; sorted by source then destination set order. */
    public List<Dependency> dependencies() {
        List<Dependency> out = new ArrayList<>();
        outgoing.forEach((fromSet, targets) -> targets.forEach((toSet, ports) -> {
            for (String from : members(fromSet)) {
                for (String to : members(toSet)) {
                    if (!from.equals(to)) {
                        out.add(new Dependency(from, to, ports));
                    }
                }
            }
        }));
        out.sort((a, b) -> a.from().equals(b.from()) ? a.to().compareTo(b.to()) : a.from().compareTo(b.from()));
        return out;
    }
}
