package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.ServiceIp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Cuts the global dependency map into one partition per container with an interface of its own and a MAC
 * (host-network containers have none, and are no one's peer: they have no address of their own). A container
 * without a MAC (a Kubernetes pod on another node: the API knows no MAC, and only a node's own pods are looked up)
 * gets no partition, but is a peer and a service backend when its node has an underlay address: frames to it go to
 * its node. Replicas of a set have the same peers, so peers and services are computed once per set.
 */
public final class Partitioner {

    private Partitioner() {
    }

    public static Map<String, ContainerPartition> partition(Inventory inventory, DependencyMap deps) {
        return partition(inventory, deps, Map.of());
    }

    /**
     * As {@link #partition(Inventory, DependencyMap)}, reusing the instances of {@code previous} that are
     * unchanged, so that a following {@link PartitionDiff} skips them by identity.
     */
    public static Map<String, ContainerPartition> partition(Inventory inventory, DependencyMap deps,
            Map<String, ContainerPartition> previous) {
        return partition(inventory, deps, previous, c -> true);
    }

    /**
     * As {@link #partition(Inventory, DependencyMap, Map)}, knowing what {@code previous} was computed from: a
     * partition that no difference between the two inventories and dependency maps can reach is taken from
     * {@code previous} without being computed, so one changed container costs about what its peers' partitions do.
     */
    public static Map<String, ContainerPartition> partition(Inventory inventory, DependencyMap deps,
            Inventory previousInventory, DependencyMap previousDeps, Map<String, ContainerPartition> previous) {
        return partition(inventory, deps, previous,
                StalePartitions.between(previousInventory, previousDeps, inventory, deps));
    }

    /** Computes the partitions of containers that {@code stale} names, or that {@code previous} lacks. */
    private static Map<String, ContainerPartition> partition(Inventory inventory, DependencyMap deps,
            Map<String, ContainerPartition> previous, Predicate<Container> stale) {
        Map<String, Endpoint> endpoints = endpoints(inventory);
        Set<Ipv4Address> deniedIps = deniedIps(inventory);
        Set<MacAddress> deniedMacs = deniedMacs(inventory);

        Map<String, List<PeerAccess>> peersOfSet = new HashMap<>();
        Map<String, List<ServiceEntry>> servicesOfSet = new HashMap<>();
        Map<String, ContainerPartition> out = new LinkedHashMap<>();
        for (Container c : inventory.containers()) {
            Endpoint self = endpoints.get(c.name());
            if (self == null || self.mac().isEmpty()) {
                continue;
            }
            ContainerPartition before = previous.get(c.name());
            if (before != null && !stale.test(c)) {
                out.put(c.name(), before);
                continue;
            }
            String set = c.containerSet();
            List<PeerAccess> peers = withoutSelf(
                    peersOfSet.computeIfAbsent(set, s -> peers(s, deps, endpoints)), c.name());
            List<ServiceEntry> services = servicesWithoutSelf(
                    servicesOfSet.computeIfAbsent(set, s -> services(s, inventory, deps, endpoints)), c.name());
            ContainerPartition partition = new ContainerPartition(self, peers, deniedIps, deniedMacs, services);
            out.put(c.name(), partition.equals(before) ? before : partition);
        }
        return out;
    }

    /**
     * Every container that can be a peer, by name: those with an address of their own and either a MAC or a node
     * with an underlay address.
     */
    static Map<String, Endpoint> endpoints(Inventory inventory) {
        Set<String> routedNodes = new HashSet<>();
        inventory.nodes().stream().filter(n -> n.underlayIp().isPresent()).forEach(n -> routedNodes.add(n.name()));
        Map<String, Endpoint> endpoints = new HashMap<>();
        for (Container c : inventory.containers()) {
            if (!c.hostNetwork() && c.ip().isPresent() && (c.mac().isPresent() || routedNodes.contains(c.node()))) {
                endpoints.put(c.name(), new Endpoint(c.name(), c.node(), c.ip().get(), c.mac()));
            }
        }
        return endpoints;
    }

    private static List<PeerAccess> peers(String set, DependencyMap deps, Map<String, Endpoint> endpoints) {
        Map<String, List<PortSpec>> egress = new HashMap<>();
        Map<String, List<PortSpec>> ingress = new HashMap<>();
        TreeMap<String, Endpoint> peers = new TreeMap<>();
        deps.reachedBy(set).forEach((target, ports) -> collect(deps.members(target), ports, egress, peers, endpoints));
        deps.reaching(set).forEach((source, ports) -> collect(deps.members(source), ports, ingress, peers, endpoints));
        List<PeerAccess> out = new ArrayList<>(peers.size());
        peers.forEach((name, endpoint) -> out.add(new PeerAccess(endpoint,
                egress.getOrDefault(name, List.of()), ingress.getOrDefault(name, List.of()))));
        return List.copyOf(out);
    }

    private static void collect(List<String> members, List<PortSpec> ports, Map<String, List<PortSpec>> into,
            Map<String, Endpoint> peers, Map<String, Endpoint> endpoints) {
        for (String member : members) {
            Endpoint endpoint = endpoints.get(member);
            if (endpoint != null) {
                into.put(member, ports);
                peers.put(member, endpoint);
            }
        }
    }

    private static List<ServiceEntry> services(String set, Inventory inventory, DependencyMap deps,
            Map<String, Endpoint> endpoints) {
        List<ServiceEntry> out = new ArrayList<>();
        for (ServiceIp service : inventory.services()) {
            List<PortSpec> ports = deps.betweenSets(set, service.containerSet());
            if (!PortRanges.admits(ports, service.port().protocol(), service.targetPort())) {
                continue;
            }
            List<Backend> backends = new ArrayList<>();
            for (String member : deps.members(service.containerSet())) {
                Endpoint endpoint = endpoints.get(member);
                if (endpoint != null) {
                    backends.add(new Backend(endpoint, service.targetPort()));
                }
            }
            if (!backends.isEmpty()) {
                out.add(new ServiceEntry(service.ip(), service.port(), List.copyOf(backends)));
            }
        }
        return List.copyOf(out);
    }

    private static List<PeerAccess> withoutSelf(List<PeerAccess> peers, String self) {
        if (peers.stream().noneMatch(p -> p.peer().container().equals(self))) {
            return peers;
        }
        return peers.stream().filter(p -> !p.peer().container().equals(self)).toList();
    }

    /** A container is never its own backend; a service left with no backend is not offered. */
    private static List<ServiceEntry> servicesWithoutSelf(List<ServiceEntry> services, String self) {
        if (services.stream().flatMap(s -> s.backends().stream()).noneMatch(b -> b.endpoint().container().equals(self))) {
            return services;
        }
        List<ServiceEntry> out = new ArrayList<>();
        for (ServiceEntry s : services) {
            List<Backend> backends = s.backends().stream().filter(b -> !b.endpoint().container().equals(self)).toList();
            if (!backends.isEmpty()) {
                out.add(new ServiceEntry(s.ip(), s.port(), backends));
            }
        }
        return List.copyOf(out);
    }

    /** Gateways and the nodes' own addresses: the ways out of a container's sandbox towards host services. */
    static Set<Ipv4Address> deniedIps(Inventory inventory) {
        Set<Ipv4Address> out = new LinkedHashSet<>();
        inventory.networks().forEach(n -> out.add(n.gateway()));
        inventory.nodes().stream().map(HostNode::underlayIp).flatMap(Optional::stream).forEach(out::add);
        return Set.copyOf(out);
    }

    static Set<MacAddress> deniedMacs(Inventory inventory) {
        Set<MacAddress> out = new LinkedHashSet<>();
        inventory.networks().stream().map(ContainerNetwork::gatewayMac).flatMap(Optional::stream).forEach(out::add);
        return Set.copyOf(out);
    }
}
