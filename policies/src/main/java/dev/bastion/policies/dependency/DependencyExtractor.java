package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Microservice;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Inter-container dependency extraction: the BASTION paper's Algorithm 1. Only explicit dependencies connect
 * containers; the relation between the two container sets then bounds the ports:
 * <ol>
 *   <li>explicit dependents get the intersection of the source's egress and the destination's ingress
 *       (a side that declares no rule in that direction does not restrict; a side that declares rules, none of
 *       them for this peer, denies);</li>
 *   <li>different container sets of one microservice talk only through the destination set's internal
 *       service ports;</li>
 *   <li>containers of different microservices talk only through the destination microservice's global
 *       service ports;</li>
 *   <li>replicas of one container set get no connectivity unless their policy names their own set;</li>
 *   <li>everything else is denied.</li>
 * </ol>
 * A destination set that belongs to no microservice declares no service ports: its explicit policy alone
 * decides (Docker containers linked without any microservice declaration).
 */
public final class DependencyExtractor {

    private DependencyExtractor() {
    }

    public static DependencyMap extract(Inventory inventory) {
        Map<String, ContainerSet> sets = new HashMap<>();
        inventory.containerSets().forEach(s -> sets.put(s.name(), s));
        Map<String, Microservice> microservices = new HashMap<>();
        inventory.microservices().forEach(m -> microservices.put(m.name(), m));

        Map<String, Map<String, List<PortSpec>>> egress = rulesBySet(inventory.policies(), Policy::egress);
        Map<String, Map<String, List<PortSpec>>> ingress = rulesBySet(inventory.policies(), Policy::ingress);

        // Candidate pairs are those some rule names: no other pair can pass constraint 1.
        Set<Pair> explicit = new LinkedHashSet<>();
        egress.forEach((set, peers) -> peers.keySet().forEach(peer -> explicit.add(new Pair(set, peer))));
        ingress.forEach((set, peers) -> peers.keySet().forEach(peer -> explicit.add(new Pair(peer, set))));

        Map<String, Map<String, List<PortSpec>>> outgoing = new LinkedHashMap<>();
        Map<String, Map<String, List<PortSpec>>> incoming = new LinkedHashMap<>();
        for (Pair pair : explicit) {
            List<PortSpec> ports = PortRanges.intersect(
                    side(egress, pair.from(), pair.to()), side(ingress, pair.to(), pair.from()));
            ports = bound(pair, ports, sets, microservices);
            if (!ports.isEmpty()) {
                outgoing.computeIfAbsent(pair.from(), k -> new LinkedHashMap<>()).put(pair.to(), ports);
                incoming.computeIfAbsent(pair.to(), k -> new LinkedHashMap<>()).put(pair.from(), ports);
            }
        }

        Map<String, String> setOfContainer = new LinkedHashMap<>();
        Map<String, List<String>> members = new HashMap<>();
        for (Container c : inventory.containers()) {
            setOfContainer.put(c.name(), c.containerSet());
            members.computeIfAbsent(c.containerSet(), k -> new ArrayList<>()).add(c.name());
        }
        return new DependencyMap(setOfContainer, members, outgoing, incoming);
    }

    /** Constraints 2 to 4: what the relation between the two sets lets through of the explicit ports. */
    private static List<PortSpec> bound(Pair pair, List<PortSpec> ports, Map<String, ContainerSet> sets,
            Map<String, Microservice> microservices) {
        if (pair.from().equals(pair.to())) {
            return ports; // constraint 4: replicas only by an explicit policy on their own set
        }
        Optional<ContainerSet> to = Optional.ofNullable(sets.get(pair.to()));
        Optional<String> toService = to.flatMap(ContainerSet::microservice);
        if (toService.isEmpty()) {
            return ports;
        }
        Optional<String> fromService = Optional.ofNullable(sets.get(pair.from())).flatMap(ContainerSet::microservice);
        if (toService.equals(fromService)) {
            return PortRanges.intersect(ports, to.get().internalPorts()); // constraint 2
        }
        Microservice service = microservices.get(toService.get());
        return service == null ? List.of() : PortRanges.intersect(ports, service.globalPorts()); // constraint 3
    }

    /** One side's word on a pair: its rule's ports, nothing if it restricts that direction otherwise, or any. */
    private static List<PortSpec> side(Map<String, Map<String, List<PortSpec>>> rules, String set, String peer) {
        Map<String, List<PortSpec>> ofSet = rules.get(set);
        if (ofSet == null) {
            return List.of(PortSpec.ANY);
        }
        return ofSet.getOrDefault(peer, List.of());
    }

    private static Map<String, Map<String, List<PortSpec>>> rulesBySet(List<Policy> policies,
            Function<Policy, List<PolicyRule>> direction) {
        Map<String, Map<String, List<PortSpec>>> out = new HashMap<>();
        for (Policy policy : policies) {
            for (PolicyRule rule : direction.apply(policy)) {
                out.computeIfAbsent(policy.containerSet(), k -> new HashMap<>())
                        .merge(rule.peer(), rule.ports(), PortRanges::union);
            }
        }
        return out;
    }

    private record Pair(String from, String to) {
    }
}
