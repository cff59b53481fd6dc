package dev.bastion.policies.assistant;

import dev.bastion.policies.model.Policy;
import dev.bastion.policies.model.PolicyRule;
import dev.bastion.policies.model.PortSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes policies in the inventory file's own syntax: a {@code policies:} section that replaces the file's
 * one, with comments marking what the suggestion adds, widens and removes, so an operator can review it.
 */
public final class PolicyYaml {

    private PolicyYaml() {
    }

    public static String patch(List<Policy> original, List<Policy> suggested) {
        Map<String, Policy> before = new HashMap<>();
        original.forEach(p -> before.put(p.containerSet(), p));
        Map<String, Policy> after = new HashMap<>();
        suggested.forEach(p -> after.put(p.containerSet(), p));
        StringBuilder out = new StringBuilder("policies:\n");
        for (Policy p : suggested) {
            Policy old = before.get(p.containerSet());
            out.append("  - containerSet: ").append(p.containerSet()).append('\n');
            section(out, "ingress", "from", p.ingress(), old == null ? List.of() : old.ingress());
            section(out, "egress", "to", p.egress(), old == null ? List.of() : old.egress());
        }
        for (Policy old : original) {
            Policy now = after.get(old.containerSet());
            removed(out, old.containerSet(), "ingress", "from", old.ingress(), now == null ? List.of() : now.ingress());
            removed(out, old.containerSet(), "egress", "to", old.egress(), now == null ? List.of() : now.egress());
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String field, String peerField, List<PolicyRule> rules, List<PolicyRule> old) {
        if (rules.isEmpty()) {
            return;
        }
        out.append("    ").append(field).append(":\n");
        for (PolicyRule rule : rules) {
            List<PortSpec> was = old.stream().filter(r -> r.peer().equals(rule.peer())).findFirst().map(PolicyRule::ports).orElse(null);
            String mark = was == null ? "   # added" : was.equals(rule.ports()) ? "" : "   # widened from " + ports(was);
            out.append("      - ").append(peerField).append(": ").append(rule.peer()).append(mark).append('\n');
            out.append("        ports: ").append(ports(rule.ports())).append('\n');
        }
    }

    private static void removed(StringBuilder out, String set, String field, String peerField, List<PolicyRule> old,
            List<PolicyRule> now) {
        for (PolicyRule rule : old) {
            if (now.stream().noneMatch(r -> r.peer().equals(rule.peer()))) {
                out.append("  # removed from ").append(set).append(' ').append(field).append(": ").append(peerField)
                        .append(": ").append(rule.peer()).append(", ports: ").append(ports(rule.ports())).append('\n');
            }
        }
    }

    static String ports(List<PortSpec> ports) {
        return ports.stream().map(PortSpec::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
