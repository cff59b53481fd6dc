package dev.bastion.chain.compile;

import dev.bastion.chain.definition.ChainDefinition;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns chain definitions into steering entries. Only flows the dependency map allows are steered, on the
 * ports it allows, so a chain can narrow what passes but never open what policy denies. Where chains overlap,
 * the one with the higher priority takes the ports it covers; the other keeps the rest.
 */
public final class SteeringCompiler {
    private static final List<Protocol> CONCRETE = List.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP);

    private SteeringCompiler() {
    }

    public static List<SteeringEntry> compile(List<ChainDefinition> chains, Inventory inventory,
                                              DependencyMap dependencies) {
        List<Container> addressed = inventory.containers().stream()
                .filter(c -> !c.hostNetwork() && c.ip().isPresent()).toList();
        Claims claims = new Claims();
        for (ChainDefinition chain : byPriority(chains)) {
            for (Container source : addressed) {
                if (!chain.context().includes(source, inventory)) {
                    continue;
                }
                for (Container destination : addressed) {
                    List<PortSpec> allowed = dependencies.allowed(source.name(), destination.name());
                    if (allowed.isEmpty()) {
                        continue;
                    }
                    List<PortSpec> steered = PortRanges.intersect(allowed,
                            chain.flows().portsTowards(destination, inventory));
                    for (PortSpec spec : steered) {
                        List<Protocol> protocols = spec.protocol() == Protocol.ANY ? CONCRETE : List.of(spec.protocol());
                        for (Protocol protocol : protocols) {
                            claims.claim(source.name(), destination.ip().orElseThrow(), protocol, spec, chain.name(),
                                    SteeringEntry.End.SOURCE);
                            claims.claim(destination.name(), source.ip().orElseThrow(), protocol, spec, chain.name(),
                                    SteeringEntry.End.DESTINATION);
                        }
                    }
                }
            }
        }
        return claims.entries();
    }

    /** Highest priority first; equal priorities (disjoint after validation) by name, for a stable result. */
    static List<ChainDefinition> byPriority(List<ChainDefinition> chains) {
        List<ChainDefinition> sorted = new ArrayList<>(chains);
        sorted.sort(Comparator.comparingInt(ChainDefinition::effectivePriority).reversed()
                .thenComparing(ChainDefinition::name));
        return sorted;
    }

    /** Port ranges already taken per (container, peer, protocol), so that a lower priority chain gets the rest. */
    private static final class Claims {
        private record Key(String container, Ipv4Address peer, Protocol protocol) {
        }

        private final Map<Key, List<SteeringEntry>> taken = new HashMap<>();
        private final List<SteeringEntry> entries = new ArrayList<>();

        void claim(String container, Ipv4Address peer, Protocol protocol, PortSpec ports, String chain,
                   SteeringEntry.End end) {
            List<SteeringEntry> existing = taken.computeIfAbsent(new Key(container, peer, protocol),
                    k -> new ArrayList<>());
            List<int[]> free = new ArrayList<>(List.of(new int[] {ports.from(), ports.to()}));
            for (SteeringEntry e : existing) {
                List<int[]> remaining = new ArrayList<>();
                for (int[] range : free) {
                    if (e.portTo() < range[0] || e.portFrom() > range[1]) {
                        remaining.add(range);
                        continue;
                    }
                    if (range[0] < e.portFrom()) {
                        remaining.add(new int[] {range[0], e.portFrom() - 1});
                    }
                    if (range[1] > e.portTo()) {
                        remaining.add(new int[] {e.portTo() + 1, range[1]});
                    }
                }
                free = remaining;
            }
            for (int[] range : free) {
                SteeringEntry entry = new SteeringEntry(container, peer, protocol, range[0], range[1], chain, end);
                existing.add(entry);
                entries.add(entry);
            }
        }

        List<SteeringEntry> entries() {
            List<SteeringEntry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparing(SteeringEntry::container).thenComparing(SteeringEntry::peer)
                    .thenComparing(SteeringEntry::protocol).thenComparingInt(SteeringEntry::portFrom));
            return List.copyOf(sorted);
        }
    }
}
