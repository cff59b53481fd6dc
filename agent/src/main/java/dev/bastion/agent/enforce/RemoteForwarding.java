package dev.bastion.agent.enforce;

import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.ForwardingMap;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.Neighbour;
import dev.bastion.datapath.net.NeighbourDump;
import dev.bastion.datapath.net.Neighbours;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.Endpoint;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end forwarding between nodes, this node's half: the external program on the node's interface towards the
 * other nodes, and a REMOTE forwarding entry for each container of another node that a container here may reach
 * or be reached by (the peers and service backends of this node's partitions). Packets to such a container leave
 * by the external interface, from its MAC to its node's; arriving there, a packet is handed in only when it comes
 * from a container with a REMOTE entry, and gets that entry's MAC as source. A container without a MAC in the
 * inventory (another node's pod) gets its node's MAC instead.
 *
 * <p>Nodes' MACs are the kernel's neighbour entries for their underlay addresses, which it is asked to keep
 * resolved (managed entries). The containers of a node that is not resolved yet, or has no underlay address, get no
 * entry (they stay reached through the host's routing) and are tried again at the next {@link #sync}; a node being
 * resolved again keeps the entries it has. Call it from the node's network namespace.
 */
public final class RemoteForwarding {
    private static final Logger log = LoggerFactory.getLogger(RemoteForwarding.class);
    /** The external program's link name: no container's link has '@' in its name. */
    static final String LINK = "@external";

    private final Datapath datapath;
    private final DatapathEnforcer.Mode mode;
    private final String node;
    private final String externalInterface;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int ifindex;
    /** The REMOTE entries this node has written, by IP; adopted from the map at the first sync. */
    private Map<Integer, Forward> written;
    private volatile Set<String> unresolved = Set.of();

    /** Forwarding for {@code node} through {@code externalInterface}, with the external program of {@code mode}. */
    public RemoteForwarding(Datapath datapath, DatapathEnforcer.Mode mode, String node, String externalInterface) {
        this.datapath = datapath;
        this.mode = mode;
        this.node = node;
        this.externalInterface = externalInterface;
    }

    /**
     * What the {@code datapath.external-interface} setting asks for. Empty, the node is a single node: nothing, and
     * what an earlier run with an external interface left in {@code datapath} (its program, its REMOTE entries)
     * is removed. Call it from the node's network namespace.
     */
    public static Optional<RemoteForwarding> configure(AgentConfig config, Datapath datapath,
            DatapathEnforcer.Mode mode) {
        String external = config.get(Setting.DATAPATH_EXTERNAL_INTERFACE);
        if (!external.isEmpty()) {
            return Optional.of(new RemoteForwarding(datapath, mode, config.node(), external));
        }
        Set<Integer> remote = remoteEntries(datapath).keySet();
        if (datapath.detach(LINK) || !remote.isEmpty()) {
            remote.forEach(datapath.forwarding()::remove);
            log.info("no external interface: its program and {} remote entries removed", remote.size());
        }
        return Optional.empty();
    }

    /** {@code listener} runs after each sync that wrote or removed an entry (steering depends on them). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Makes the REMOTE entries those {@code view} asks for, as far as the other nodes' MACs are known; attaches the
     * external program first (once). Returns true when an entry was written or removed.
     */
    public synchronized boolean sync(PolicyView view) {
        if (written == null) {
            attach();
        }
        long externalMac = Interfaces.mac(externalInterface);
        Map<Integer, Endpoint> remote = remoteEndpoints(view);
        Map<String, Long> nodeMacs = nodeMacs(view, remote.values().stream().map(Endpoint::node)
                .collect(Collectors.toSet()));
        Map<Integer, Forward> wanted = new HashMap<>();
        remote.forEach((ip, endpoint) -> {
            Long nodeMac = nodeMacs.get(endpoint.node());
            if (nodeMac != null) {
                long mac = endpoint.mac().map(MacAddress::bits).orElse(nodeMac);
                wanted.put(ip, Forward.remote(ifindex, mac, nodeMac, externalMac));
            } else if (written.containsKey(ip)) {
                // Its node is being resolved again: the last MAC is kept, since without an entry the other node's
                // packets from this container would be dropped here.
                wanted.put(ip, written.get(ip));
            }
        });
        Map<Integer, Forward> changed = new HashMap<>();
        wanted.forEach((ip, forward) -> {
            if (!forward.equals(written.get(ip))) {
                changed.put(ip, forward);
            }
        });
        datapath.forwarding().putAll(changed);
        int removed = 0;
        for (int ip : Set.copyOf(written.keySet())) {
            if (!wanted.containsKey(ip)) {
                written.remove(ip);
                // The address may be a container of this node by now: only a REMOTE entry is this class's.
                if (datapath.forwarding().get(ip).filter(f -> f.kind() == ForwardingMap.Kind.REMOTE).isPresent()) {
                    datapath.forwarding().remove(ip);
                    removed++;
                }
            }
        }
        written.putAll(changed);
        if (changed.isEmpty() && removed == 0) {
            return false;
        }
        log.info("remote forwarding: {} written, {} removed, {} containers of other nodes reached directly",
                changed.size(), removed, written.size());
        listeners.forEach(Runnable::run);
        return true;
    }

    /** The other nodes whose containers got no entry at the last sync (MAC unresolved or no underlay address). */
    public Set<String> unresolvedNodes() {
        return unresolved;
    }

    /** How many containers of other nodes have a REMOTE entry. */
    public synchronized int entries() {
        return written == null ? 0 : written.size();
    }

    private void attach() {
        ifindex = Interfaces.index(externalInterface);
        written = remoteEntries(datapath); // a previous agent's: kept if still wanted, else removed
        if (written.values().stream().anyMatch(f -> f.ifindex() != ifindex)) {
            datapath.detach(LINK); // the previous agent's external interface was another one
        }
        datapath.attach(mode == DatapathEnforcer.Mode.XDP ? Entry.EXTERNAL_XDP : Entry.EXTERNAL_TC, ifindex, LINK);
        log.info("external interface {} (ifindex {}): {} program attached, {} remote entries adopted",
                externalInterface, ifindex, mode, written.size());
    }

    /** The REMOTE entries of {@code datapath}'s forwarding map, by IP. */
    static Map<Integer, Forward> remoteEntries(Datapath datapath) {
        Map<Integer, Forward> remote = new HashMap<>(datapath.forwarding().all());
        remote.values().removeIf(forward -> forward.kind() != ForwardingMap.Kind.REMOTE);
        return remote;
    }

    /** The containers of other nodes the partitions of this node's containers name, by IP. */
    private Map<Integer, Endpoint> remoteEndpoints(PolicyView view) {
        Map<Integer, Endpoint> remote = new HashMap<>();
        view.partitions().values().stream().filter(p -> p.self().node().equals(node))
                .flatMap(RemoteForwarding::reachable)
                .filter(e -> !e.node().equals(node))
                .forEach(e -> remote.put(e.ip().bits(), e));
        return remote;
    }

    private static Stream<Endpoint> reachable(ContainerPartition partition) {
        return Stream.concat(partition.peers().stream().map(p -> p.peer()),
                partition.services().stream().flatMap(s -> s.backends().stream()).map(b -> b.endpoint()));
    }

    /** The MACs of {@code nodes} that are resolved; the others are logged once and counted in {@link #unresolved}. */
    private Map<String, Long> nodeMacs(PolicyView view, Set<String> nodes) {
        Map<String, Long> macs = new HashMap<>();
        Set<String> missing = new HashSet<>();
        List<Neighbour> neighbours = nodes.isEmpty() ? List.of() : NeighbourDump.ipv4();
        for (String name : nodes) {
            Optional<Ipv4Address> underlay = view.inventory().nodes().stream().filter(n -> n.name().equals(name))
                    .findFirst().flatMap(HostNode::underlayIp);
            OptionalLong mac = underlay.map(ip -> resolve(ip, neighbours)).orElse(OptionalLong.empty());
            if (mac.isPresent()) {
                macs.put(name, mac.getAsLong());
            } else {
                missing.add(name);
                if (!unresolved.contains(name)) {
                    log.warn("node {}: {}; its containers are not forwarded directly yet", name, underlay
                            .map(ip -> "no MAC known for its underlay address " + ip + " on " + externalInterface)
                            .orElse("no underlay address in the inventory"));
                }
            }
        }
        unresolved = Set.copyOf(missing);
        return macs;
    }

    /**
     * The MAC of {@code ip} on the external interface, if the kernel's table ({@code neighbours}) has it. The entry
     * is handed to the kernel to keep resolved unless it already is: one the kernel learnt from traffic ages out.
     */
    private OptionalLong resolve(Ipv4Address ip, List<Neighbour> neighbours) {
        Inet4Address address = inet4(ip);
        Optional<Neighbour> entry = neighbours.stream()
                .filter(n -> n.index() == ifindex && n.address().equals(address)).findFirst();
        if (entry.isEmpty() || !entry.get().managed()) {
            Neighbours.manage(ifindex, address);
        }
        return entry.filter(Neighbour::resolved).map(Neighbour::mac).orElse(OptionalLong.empty());
    }

    private static Inet4Address inet4(Ipv4Address ip) {
        try {
            return (Inet4Address) InetAddress.getByName(ip.toString()); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }
}
