package dev.bastion.policies.assistant;

import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The policy assistant: replays observed flows against the dependency map. A flow the map allows is a
 * legitimate access; a flow it does not allow shows a missing policy; a dependency between two sets that no
 * flow used in the window is an excessive policy. It then rewrites the inventory's policies accordingly
 * (rules added on both sides, so constraint 1 holds whatever the peers declare) and checks the rewrite by
 * extracting the dependency map again.
 */
public final class PolicyAssistant {

    private PolicyAssistant() {
    }

    public static AssistantReport analyse(Inventory inventory, List<FlowObservation> flows) {
        DependencyMap deps = DependencyExtractor.extract(inventory);
        Map<SetPair, Tally> legitimate = new TreeMap<>();
        Map<SetPair, Tally> missing = new TreeMap<>();
        long unattributed = 0;
        Optional<Instant> from = Optional.empty();
        Optional<Instant> to = Optional.empty();
        for (FlowObservation flow : flows) {
            from = Optional.of(from.filter(f -> f.isBefore(flow.at())).orElse(flow.at()));
            to = Optional.of(to.filter(t -> t.isAfter(flow.at())).orElse(flow.at()));
            String src = flow.srcContainer().orElse(null);
            String dst = flow.dstContainer().orElse(null);
            if (src == null || dst == null || deps.containerSet(src) == null || deps.containerSet(dst) == null) {
                unattributed++;
                continue;
            }
            SetPair pair = new SetPair(deps.containerSet(src), deps.containerSet(dst));
            PortSpec port = flow.protocol() == Protocol.ICMP ? new PortSpec(Protocol.ICMP, 0, 65535)
                    : new PortSpec(flow.protocol(), flow.dstPort(), flow.dstPort());
            boolean allowed = PortRanges.admits(deps.allowed(src, dst), flow.protocol(), flow.dstPort());
            (allowed ? legitimate : missing).computeIfAbsent(pair, p -> new Tally()).add(port);
        }
        List<Finding> excessive = new ArrayList<>();
        for (ContainerSet set : inventory.containerSets()) {
            deps.reachedBy(set.name()).forEach((target, ports) -> {
                if (!legitimate.containsKey(new SetPair(set.name(), target))) {
                    excessive.add(new Finding(set.name(), target, ports, 0));
                }
            });
        }
        excessive.sort((a, b) -> new SetPair(a.fromSet(), a.toSet()).compareTo(new SetPair(b.fromSet(), b.toSet())));

        PolicyEdit edit = new PolicyEdit(inventory.policies());
        excessive.forEach(f -> edit.remove(f.fromSet(), f.toSet()));
        missing.forEach((pair, tally) -> edit.add(pair.from(), pair.to(), tally.ports()));
        List<Policy> suggested = edit.policies();
        List<String> notes = verify(inventory, suggested, missing, excessive);
        return new AssistantReport(from, to, flows.size(), findings(legitimate), findings(missing), List.copyOf(excessive),
                unattributed, suggested, notes);
    }

    /** Re-extracts the map from the suggestion: what is still denied, and anything the removals opened. */
    private static List<String> verify(Inventory inventory, List<Policy> suggested, Map<SetPair, Tally> missing,
            List<Finding> excessive) {
        Inventory patched = new Inventory(inventory.name(), inventory.underlay(), inventory.nodes(), inventory.networks(),
                inventory.containers(), inventory.containerSets(), inventory.microservices(), suggested, inventory.services());
        DependencyMap after = DependencyExtractor.extract(patched);
        DependencyMap before = DependencyExtractor.extract(inventory);
        List<String> notes = new ArrayList<>();
        missing.forEach((pair, tally) -> {
            List<PortSpec> still = tally.ports().stream().filter(p ->
                    PortRanges.intersect(List.of(p), after.betweenSets(pair.from(), pair.to())).isEmpty()).toList();
            if (!still.isEmpty()) {
                notes.add(pair.from() + " -> " + pair.to() + " " + still + ": not among the service ports of " + pair.to()
                        + " (its set's internalPorts, or its microservice's globalPorts): declare them there too");
            }
        });
        for (ContainerSet set : patched.containerSets()) {
            after.reachedBy(set.name()).forEach((target, ports) -> {
                boolean wasThere = !before.betweenSets(set.name(), target).isEmpty();
                boolean added = missing.containsKey(new SetPair(set.name(), target));
                if (!wasThere && !added) {
                    notes.add("removing rules opens " + set.name() + " -> " + target + " " + ports + ": review by hand");
                }
            });
        }
        excessive.stream().filter(f -> !after.betweenSets(f.fromSet(), f.toSet()).isEmpty()).forEach(f ->
                notes.add(f.fromSet() + " -> " + f.toSet() + " stays open after removing its rules"));
        return notes;
    }

    private static List<Finding> findings(Map<SetPair, Tally> tallies) {
        List<Finding> out = new ArrayList<>();
        tallies.forEach((pair, tally) -> out.add(new Finding(pair.from(), pair.to(), tally.ports(), tally.flows)));
        return List.copyOf(out);
    }

    private record SetPair(String from, String to) implements Comparable<SetPair> {
        @Override
        public int compareTo(SetPair o) {
            int c = from.compareTo(o.from);
            return c != 0 ? c : to.compareTo(o.to);
        }
    }

    private static final class Tally {
        private List<PortSpec> ports = List.of();
        private long flows;

        void add(PortSpec port) {
            ports = PortRanges.union(ports, List.of(port));
            flows++;
        }

        List<PortSpec> ports() {
            return ports;
        }
    }

    /** The inventory's policies as editable rule maps, in file order, new sets and peers appended. */
    private static final class PolicyEdit {
        private final Map<String, Map<String, List<PortSpec>>> ingress = new LinkedHashMap<>();
        private final Map<String, Map<String, List<PortSpec>>> egress = new LinkedHashMap<>();
        private final List<String> order = new ArrayList<>();

        PolicyEdit(List<Policy> policies) {
            for (Policy p : policies) {
                order.add(p.containerSet());
                p.ingress().forEach(r -> rules(ingress, p.containerSet()).merge(r.peer(), r.ports(), PortRanges::union));
                p.egress().forEach(r -> rules(egress, p.containerSet()).merge(r.peer(), r.ports(), PortRanges::union));
            }
        }

        private Map<String, List<PortSpec>> rules(Map<String, Map<String, List<PortSpec>>> side, String set) {
            if (!order.contains(set)) {
                order.add(set);
            }
            return side.computeIfAbsent(set, k -> new LinkedHashMap<>());
        }

        void remove(String from, String to) {
            Optional.ofNullable(egress.get(from)).ifPresent(r -> r.remove(to));
            Optional.ofNullable(ingress.get(to)).ifPresent(r -> r.remove(from));
        }

        void add(String from, String to, List<PortSpec> ports) {
            rules(egress, from).merge(to, ports, PortRanges::union);
            rules(ingress, to).merge(from, ports, PortRanges::union);
        }

        List<Policy> policies() {
            List<Policy> out = new ArrayList<>();
            for (String set : order) {
                List<PolicyRule> in = list(ingress.get(set));
                List<PolicyRule> eg = list(egress.get(set));
                if (!in.isEmpty() || !eg.isEmpty()) {
                    out.add(new Policy(set, in, eg));
                }
            }
            return List.copyOf(out);
        }

        private static List<PolicyRule> list(Map<String, List<PortSpec>> rules) {
            List<PolicyRule> out = new ArrayList<>();
            if (rules != null) {
                rules.forEach((peer, ports) -> out.add(new PolicyRule(peer, ports)));
            }
            return out;
        }
    }
}
