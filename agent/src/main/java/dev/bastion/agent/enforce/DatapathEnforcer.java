package dev.bastion.agent.enforce;

import dev.bastion.agent.daemon.Enforcer;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.ServiceMap;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import dev.bastion.policies.dependency.ContainerChange;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.Endpoint;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies partition changes to the datapath of this node. A new container's maps are written before its program is
 * attached, so its first packet already meets its whole policy; a change touches only its entries; a removed
 * container is detached first, then its entries go.
 */
public final class DatapathEnforcer implements Enforcer {
    private static final Logger log = LoggerFactory.getLogger(DatapathEnforcer.class);

    /** The two hooks of DESIGN.md: native XDP on the host-side veth, or tcx ingress with bpf_redirect_peer. */
    public enum Mode { XDP, TC }

    /**
     * What this node wrote for one protected container, so that removal takes out exactly its entries (an id is
     * reused later: nothing of the old container may stay under it).
     */
    /** {@code namespace} and {@code inside}: where the container's own end of the veth is. */
    private record Guarded(int id, int ifindex, int ip, long mac, String namespace, String inside, Set<Integer> peers,
            Set<Integer> deniedIps, Set<Long> deniedMacs) {
    }

    /** A container this enforcer protects: its datapath id, host-side ifindex, IP and MAC. */
    public record Protected(String name, int id, int ifindex, int ip, long mac) {
    }

    private final Datapath datapath;
    private final Mode mode;
    private final Function<Inventory, ContainerInterfaces> interfacesOf;
    private final Optional<RemoteForwarding> remotes;
    private final ContainerIds ids = new ContainerIds();
    private final Map<String, Guarded> guarded = new HashMap<>();
    private final Map<ServiceMap.ServiceAddress, List<ServiceMap.Backend>> services = new HashMap<>();

    /** {@code interfacesOf} names the veths of an inventory's containers (the platform decides the names). */
    public DatapathEnforcer(Datapath datapath, Mode mode, Function<Inventory, ContainerInterfaces> interfacesOf) {
        this(datapath, mode, interfacesOf, Optional.empty());
    }

    /** An enforcer that also keeps {@code remotes}, the forwarding to other nodes' containers, in step with the view. */
    public DatapathEnforcer(Datapath datapath, Mode mode, Function<Inventory, ContainerInterfaces> interfacesOf,
            Optional<RemoteForwarding> remotes) {
        this.datapath = datapath;
        this.mode = mode;
        this.interfacesOf = interfacesOf;
        this.remotes = remotes;
    }

    @Override
    public void apply(List<ContainerChange> changes, PolicyView next) {
        ContainerInterfaces interfaces = interfacesOf.apply(next.inventory());
        for (ContainerChange change : changes) {
            switch (change.kind()) {
                case ADDED -> protect(next.inventory(), next.inventory().container(change.container()).orElseThrow(),
                        next.partitions().get(change.container()), interfaces);
                case CHANGED -> update(change, next, interfaces);
                case REMOVED -> release(change.container());
            }
        }
        syncServices(next);
        remotes.ifPresent(r -> r.sync(next));
    }

    /** Writes the entries of other nodes' containers that could not be written yet. */
    @Override
    public void refresh(PolicyView inForce) {
        remotes.ifPresent(r -> r.sync(inForce));
    }

    /** A container's id in the datapath (counters and sockets use it); empty if it is not protected here. */
    @Override
    public Optional<Integer> protectedAs(String container) {
        return Optional.ofNullable(guarded.get(container)).map(Guarded::id);
    }

    /** The container as protected on this node, empty if it is not. */
    public Optional<Protected> protectedContainer(String container) {
        return Optional.ofNullable(guarded.get(container))
                .map(g -> new Protected(container, g.id(), g.ifindex(), g.ip(), g.mac()));
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Readies a protected container for the AF_XDP bridge ({@code on}) or releases it. In tc mode the container's
     * segmentation and checksum offloads go off while the bridge carries any of its flows: what reaches an AF_XDP
     * socket, and what the bridge transmits, must be MTU-sized frames with complete checksums. XDP mode has
     * made them so already (no GSO across XDP, TX checksum off since protection).
     */
    public void bridged(String container, boolean on) {
        Guarded g = guarded.get(container);
        if (mode != Mode.TC || g == null) {
            return;
        }
        NetworkNamespace.run(g.namespace(), () -> {
            for (Offload offload : List.of(Offload.TX_CHECKSUM, Offload.TSO, Offload.GSO)) {
                offload.set(g.inside(), !on);
            }
        });
        log.info("{}: offloads {} for the bridge", container, on ? "off" : "back on");
    }

    private void protect(Inventory inventory, Container container, ContainerPartition partition,
            ContainerInterfaces interfaces) {
        String hostSide = interfaces.hostSide(container);
        int ifindex = Interfaces.index(hostSide);
        datapath.endpoints().get(ifindex).ifPresent(e -> ids.adopt(container.name(), e.id()));
        int id = ids.acquire(container.name());
        Endpoint self = partition.self();
        long mac = self.mac().orElseThrow(() -> new IllegalStateException(container.name() + " has no MAC")).bits();
        Guarded g = new Guarded(id, ifindex, self.ip().bits(), mac, interfaces.namespace(container),
                interfaces.containerSide(container), new HashSet<>(), new HashSet<>(), new HashSet<>());
        ContainerNetwork network = inventory.network(container.network().orElseThrow()).orElseThrow();
        MacAddress gatewayMac = network.gatewayMac()
                .orElseGet(() -> new MacAddress(Interfaces.mac(interfaces.gateway(network))));
        // The container's own gateway is answered to ARP with this MAC (service IPs and other subnets are sent to
        // it); whether the container may reach the host behind it is still the gateways map's call.
        datapath.forwarding().put(network.gateway().bits(), Forward.host(gatewayMac.bits()));
        writePeers(g, partition.peers());
        Set<MacAddress> deniedMacs = new HashSet<>(partition.deniedMacs());
        if (partition.deniedIps().contains(network.gateway())) {
            deniedMacs.add(gatewayMac);
        }
        deny(g, partition.deniedIps(), deniedMacs);
        datapath.forwarding().put(self.ip().bits(), Forward.local(ifindex, id, mac));
        datapath.endpoints().put(ifindex, new EndpointMap.Endpoint(id, self.ip().bits(), mac,
                network.gateway().bits()));
        guarded.put(container.name(), g);
        attach(container, ifindex, interfaces);
        log.info("{} protected: id {}, {} (ifindex {}), {} peers, {} mode", container.name(), id, hostSide, ifindex,
                partition.peers().size(), mode);
    }

    private void attach(Container container, int ifindex, ContainerInterfaces interfaces) {
        // Every allowed packet reaches a container by redirect, which skips its host-side veth's egress: what still
        // comes that way is the node writing into the veth (a host-network container injecting), so it is guarded.
        String link = link(container.name());
        datapath.attach(Entry.HOST_EGRESS_TC, ifindex, link + "-egress");
        if (mode == Mode.TC) {
            datapath.attach(Entry.HOST_TC, ifindex, link);
            return;
        }
        // XDP redirect loses the skb's checksum-offload state, and frames redirected into a veth arrive only if
        // its peer runs XDP: both are fixed on the container's side before traffic is redirected to it.
        String inside = interfaces.containerSide(container);
        NetworkNamespace.run(interfaces.namespace(container), () -> {
            Offload.TX_CHECKSUM.set(inside, false);
            datapath.attach(Entry.CONTAINER_PASS, Interfaces.index(inside), link + "-pass");
        });
        datapath.attach(Entry.HOST_XDP, ifindex, link);
    }

    private void update(ContainerChange change, PolicyView next, ContainerInterfaces interfaces) {
        Guarded g = guarded.get(change.container());
        if (g == null || change.selfChanged()) {
            release(change.container());
            protect(next.inventory(), next.inventory().container(change.container()).orElseThrow(),
                    next.partitions().get(change.container()), interfaces);
            return;
        }
        change.peersRemoved().forEach(p -> removePeer(g, p.peer().ip().bits()));
        writePeers(g, change.peersAdded());
        writePeers(g, change.peersChanged());
        change.deniedIpsRemoved().forEach(ip -> allowIp(g, ip.bits()));
        change.deniedMacsRemoved().forEach(mac -> allowMac(g, mac.bits()));
        deny(g, change.deniedIpsAdded(), change.deniedMacsAdded());
        log.info("{} updated: +{} ~{} -{} peers", change.container(), change.peersAdded().size(),
                change.peersChanged().size(), change.peersRemoved().size());
    }

    private void writePeers(Guarded g, List<PeerAccess> peers) {
        Map<Integer, List<PortRange>> byPeer = new HashMap<>();
        peers.forEach(p -> byPeer.put(p.peer().ip().bits(), PolicyEntries.ranges(p)));
        if (!byPeer.isEmpty()) {
            datapath.peers().putAll(g.id(), byPeer);
            g.peers().addAll(byPeer.keySet());
        }
    }

    private void removePeer(Guarded g, int peerIp) {
        datapath.peers().remove(g.id(), peerIp);
        g.peers().remove(peerIp);
    }

    private void deny(Guarded g, Set<Ipv4Address> ips, Set<MacAddress> macs) {
        List<Integer> ipBits = ips.stream().map(Ipv4Address::bits).toList();
        List<Long> macBits = macs.stream().map(MacAddress::bits).toList();
        if (!ipBits.isEmpty() || !macBits.isEmpty()) {
            datapath.gateways().denyAll(g.id(), ipBits, macBits);
            g.deniedIps().addAll(ipBits);
            g.deniedMacs().addAll(macBits);
        }
    }

    private void allowIp(Guarded g, int ip) {
        datapath.gateways().allowIp(g.id(), ip);
        g.deniedIps().remove(ip);
    }

    private void allowMac(Guarded g, long mac) {
        datapath.gateways().allowMac(g.id(), mac);
        g.deniedMacs().remove(mac);
    }

    private void release(String container) {
        Guarded g = guarded.remove(container);
        if (g == null) {
            return;
        }
        String link = link(container);
        datapath.detach(link);
        datapath.detach(link + "-pass");
        datapath.detach(link + "-egress");
        datapath.endpoints().remove(g.ifindex());
        datapath.forwarding().remove(g.ip());
        // Chains steer only flows with a peer, so clearing steering per peer leaves nothing under the id.
        g.peers().forEach(peer -> datapath.steering().remove(g.id(), peer));
        Set.copyOf(g.peers()).forEach(peer -> removePeer(g, peer));
        Set.copyOf(g.deniedIps()).forEach(ip -> allowIp(g, ip));
        Set.copyOf(g.deniedMacs()).forEach(mac -> allowMac(g, mac));
        datapath.counters().reset(g.id());
        ids.release(container);
        log.info("{} no longer protected (id {})", container, g.id());
    }

    /**
     * The name a container's links are pinned under: one path segment, so Kubernetes' {@code namespace/pod} becomes
     * {@code namespace:pod} (':' is in no pod or namespace name, so two containers never share one).
     */
    public static String link(String container) {
        return container.replace('/', ':');
    }

    /** Service IPs are shared by the node: written once for every local container that may use them. */
    private void syncServices(PolicyView next) {
        Map<ServiceMap.ServiceAddress, List<ServiceMap.Backend>> wanted = new HashMap<>();
        guarded.keySet().stream().map(next.partitions()::get).filter(Objects::nonNull)
                .flatMap(p -> p.services().stream())
                .forEach(s -> wanted.put(PolicyEntries.address(s), PolicyEntries.backends(s)));
        for (ServiceMap.ServiceAddress gone : Set.copyOf(services.keySet())) {
            if (!wanted.containsKey(gone)) {
                datapath.services().remove(gone);
                services.remove(gone);
            }
        }
        wanted.forEach((address, backends) -> {
            if (!backends.equals(services.get(address))) {
                datapath.services().put(address, backends);
                services.put(address, backends);
            }
        });
    }
}
