package dev.bastion.chain.definition;

import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.PortSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether two chains could take the same flow. With an inventory the containers are compared; without one
 * the selectors are, and what cannot be told apart (labels against container sets) counts as overlapping.
 * Returns an example of a shared flow, for the error message.
 */
final class ChainOverlap {
    private ChainOverlap() {
    }

    static Optional<String> between(ChainDefinition a, ChainDefinition b, Optional<Inventory> inventory) {
        return inventory.isPresent() ? inInventory(a, b, inventory.get()) : bySelectors(a, b);
    }

    private static Optional<String> inInventory(ChainDefinition a, ChainDefinition b, Inventory inventory) {
        for (Container source : inventory.containers()) {
            if (!a.context().includes(source, inventory) || !b.context().includes(source, inventory)) {
                continue;
            }
            for (Container destination : inventory.containers()) {
                List<PortSpec> shared = PortRanges.intersect(a.flows().portsTowards(destination, inventory),
                        b.flows().portsTowards(destination, inventory));
                if (!shared.isEmpty() && !destination.name().equals(source.name())) {
                    return Optional.of(source.name() + " -> " + destination.name() + " " + shared.get(0));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> bySelectors(ChainDefinition a, ChainDefinition b) {
        ChainContext x = a.context();
        ChainContext y = b.context();
        if (disjoint(x.containerSets(), y.containerSets())) {
            return Optional.empty();
        }
        if (x.microservice().isPresent() && y.microservice().isPresent()
                && !x.microservice().equals(y.microservice())) {
            return Optional.empty();
        }
        if (conflicting(x.labels(), y.labels())) {
            return Optional.empty();
        }
        ChainFlows f = a.flows();
        ChainFlows g = b.flows();
        boolean mixed = (!f.services().isEmpty() && !g.containerSets().isEmpty())
                || (!f.containerSets().isEmpty() && !g.services().isEmpty());
        if (!f.anyDestination() && !g.anyDestination() && !mixed
                && disjoint(f.containerSets(), g.containerSets()) && disjoint(f.services(), g.services())) {
            return Optional.empty();
        }
        List<PortSpec> shared = PortRanges.intersect(orAny(f.ports()), orAny(g.ports()));
        if (shared.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("contexts (" + x + ") and (" + y + ") may share containers, destinations may meet, ports "
                + shared);
    }

    /** Both lists name something and share nothing. */
    private static boolean disjoint(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return common.isEmpty();
    }

    private static boolean conflicting(Map<String, String> a, Map<String, String> b) {
        return a.entrySet().stream()
                .anyMatch(e -> b.containsKey(e.getKey()) && !b.get(e.getKey()).equals(e.getValue()));
    }

    private static List<PortSpec> orAny(List<PortSpec> ports) {
        return ports.isEmpty() ? List.of(PortSpec.ANY) : ports;
    }
}
