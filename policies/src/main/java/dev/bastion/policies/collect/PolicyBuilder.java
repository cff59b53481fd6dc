package dev.bastion.policies.collect;

import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers the rules a platform spreads over many objects (links, labels, NetworkPolicies) into one policy
 * per container set, rules towards one peer merged, everything sorted so equal platforms give equal policies.
 */
final class PolicyBuilder {
    private final Map<String, Map<String, List<PortSpec>>> ingress = new TreeMap<>();
    private final Map<String, Map<String, List<PortSpec>>> egress = new TreeMap<>();

    void egress(String set, String peer, List<PortSpec> ports) {
        add(egress, set, peer, ports);
    }

    void ingress(String set, String peer, List<PortSpec> ports) {
        add(ingress, set, peer, ports);
    }

    private static void add(Map<String, Map<String, List<PortSpec>>> rules, String set, String peer, List<PortSpec> ports) {
        rules.computeIfAbsent(set, k -> new TreeMap<>()).merge(peer, PortRanges.normalise(ports), PortRanges::union);
    }

    List<Policy> build() {
        TreeMap<String, Policy> out = new TreeMap<>();
        for (String set : union()) {
            out.put(set, new Policy(set, rules(ingress.get(set)), rules(egress.get(set))));
        }
        return List.copyOf(out.values());
    }

    private List<String> union() {
        TreeMap<String, Boolean> sets = new TreeMap<>();
        ingress.keySet().forEach(s -> sets.put(s, true));
        egress.keySet().forEach(s -> sets.put(s, true));
        return List.copyOf(sets.keySet());
    }

    private static List<PolicyRule> rules(Map<String, List<PortSpec>> byPeer) {
        if (byPeer == null) {
            return List.of();
        }
        List<PolicyRule> out = new ArrayList<>();
        byPeer.forEach((peer, ports) -> out.add(new PolicyRule(peer, ports)));
        return out;
    }
}
