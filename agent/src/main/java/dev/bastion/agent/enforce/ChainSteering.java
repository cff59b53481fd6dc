package dev.bastion.agent.enforce;

import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.BridgeContainer;
import dev.bastion.bridge.RemoteRoute;
import dev.bastion.chain.compile.SteeringEntry;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.ForwardingMap;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.SteeringMap.SteeringRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the chains' steering entries into the datapath's steering map and the bridge's sockets (in tc mode also
 * the node's {@link SteeringPort}, and the containers' offloads, see {@link DatapathEnforcer#bridged}). A container gets
 * its AF_XDP socket before the first entry that steers to it, and loses it only after its last entry is gone: a
 * steered flow never meets a missing socket while it should be chained (the datapath would drop it, fail closed).
 *
 * <p>A flow with a container on another node (a peer the datapath forwards as REMOTE) is chained on the node of
 * the flow's source only, in both directions: there its entry is written, the bridge opens its uplink socket and
 * gets a {@link RemoteRoute} to the peer (from the datapath's forwarding entry), and the datapath's
 * {@code bastion_ext} steers the replies by the same entry. The destination's node writes no entry for that flow
 * (two chain instances would each see half of it); in tc mode it still turns the destination's offloads off,
 * since its frames reach the source node's bridge.
 */
public final class ChainSteering {
    private static final Logger log = LoggerFactory.getLogger(ChainSteering.class);
    /** The uplink's slot in dpi_xsks: the one before the steering port's; Suricata ports take the others. */
    static final int UPLINK_SLOT = SteeringPort.SLOT - 1;

    /** The id is kept with the key: a removed container's entries are found after its id was released. */
    private record Key(String container, int id, int peerIp) {
    }

    private final Datapath datapath;
    private final DatapathEnforcer enforcer;
    private final Bridge bridge;
    private final Map<String, Integer> chainIds = new HashMap<>();
    private Map<Key, List<SteeringRule>> written = Map.of();
    /** Containers with a bridge socket, and the id it was registered under. */
    private final Map<String, Integer> ports = new HashMap<>();
    /** Containers whose offloads are off for the bridge (tc mode). */
    private final Set<String> bridged = new HashSet<>();
    private Map<Integer, RemoteRoute> routes = Map.of();
    private boolean steeringPortOpen;
    private List<SteeringEntry> given = List.of();

    public ChainSteering(Datapath datapath, DatapathEnforcer enforcer, Bridge bridge) {
        this.datapath = datapath;
        this.enforcer = enforcer;
        this.bridge = bridge;
    }

    /**
     * Makes the datapath steer exactly {@code entries} (those of containers protected on this node). Call it in the
     * network namespace of the containers' host-side veths.
     */
    public synchronized void apply(List<SteeringEntry> entries) {
        given = List.copyOf(entries);
        Map<Key, List<SteeringRule>> wanted = new HashMap<>();
        Map<Integer, RemoteRoute> wantedRoutes = new HashMap<>();
        Set<String> needBridged = new HashSet<>();
        Map<Integer, Optional<Forward>> remotes = new HashMap<>();
        int uplink = 0;
        for (SteeringEntry e : entries) {
            var guarded = enforcer.protectedContainer(e.container());
            if (guarded.isEmpty()) {
                continue;
            }
            needBridged.add(e.container());
            Optional<Forward> remote = remotes.computeIfAbsent(e.peer().bits(), this::remote);
            if (remote.isPresent()) {
                if (e.end() == SteeringEntry.End.DESTINATION) {
                    continue; // the source's node chains this flow, both directions
                }
                Forward f = remote.get();
                wantedRoutes.put(e.peer().bits(), new RemoteRoute(e.peer().bits(), f.externalMac(), f.nextHopMac()));
                uplink = f.ifindex();
            }
            wanted.computeIfAbsent(new Key(e.container(), guarded.get().id(), e.peer().bits()), k -> new ArrayList<>())
                    .add(new SteeringRule(PolicyEntries.protocol(e.protocol()), e.portFrom(), e.portTo(), chainId(e.chain())));
        }
        Set<String> needPorts = new HashSet<>();
        wanted.keySet().forEach(k -> needPorts.add(k.container()));
        if (!needPorts.isEmpty() && enforcer.mode() == DatapathEnforcer.Mode.TC && !steeringPortOpen) {
            SteeringPort.open(datapath, bridge);
            steeringPortOpen = true;
        }
        if (!wantedRoutes.isEmpty()) {
            openUplink(uplink);
        }
        wantedRoutes.forEach((ip, route) -> {
            if (!route.equals(routes.get(ip))) {
                bridge.route(route);
            }
        });
        for (String container : needBridged) {
            if (bridged.add(container)) {
                enforcer.bridged(container, true);
            }
        }
        for (String container : needPorts) {
            if (!ports.containsKey(container)) {
                DatapathEnforcer.Protected p = enforcer.protectedContainer(container).orElseThrow();
                bridge.add(new BridgeContainer(p.id(), p.name(), p.ifindex(), p.ip(), p.mac()));
                ports.put(container, p.id());
            }
        }
        wanted.forEach((key, rules) -> {
            if (!rules.equals(written.get(key))) {
                datapath.steering().put(key.id(), key.peerIp(), rules);
            }
        });
        for (Key gone : written.keySet()) {
            if (!wanted.containsKey(gone)) {
                datapath.steering().remove(gone.id(), gone.peerIp());
            }
        }
        for (String container : Set.copyOf(ports.keySet())) {
            if (!needPorts.contains(container)) {
                bridge.remove(ports.remove(container));
            }
        }
        for (String container : Set.copyOf(bridged)) {
            if (!needBridged.contains(container)) {
                bridged.remove(container);
                enforcer.bridged(container, false);
            }
        }
        for (Integer gone : routes.keySet()) {
            if (!wantedRoutes.containsKey(gone)) {
                bridge.unroute(gone);
            }
        }
        routes = wantedRoutes;
        written = wanted;
        log.info("steering: {} entries for {} containers", wanted.size(), needPorts.size());
    }

    /**
     * Applies the entries last given again: which peers are REMOTE is read from the forwarding map, so a change
     * of its REMOTE entries moves flows between this node's chains and the other node's.
     */
    public synchronized void reapply() {
        apply(given);
    }

    /** The peer's forwarding entry if it is a container on another node. */
    private Optional<Forward> remote(int peerIp) {
        return datapath.forwarding().get(peerIp).filter(f -> f.kind() == ForwardingMap.Kind.REMOTE);
    }

    /**
     * The bridge's socket on the node's external interface, where chained frames to other nodes leave (and, in XDP
     * mode, where the datapath hands back their replies). Opened once; it stays while the bridge lives.
     */
    private void openUplink(int ifindex) {
        Optional<Integer> open = bridge.uplinkIfindex();
        if (open.isEmpty()) {
            bridge.addUplink(ifindex, UPLINK_SLOT);
        } else if (open.get() != ifindex) {
            throw new IllegalStateException("remote peers behind external interface " + ifindex
                    + " but the bridge's uplink is interface " + open.get() + ": one uplink per node");
        }
    }

    /** A small stable number per chain name: the datapath's rules carry it, the bridge's engine selects by name. */
    private int chainId(String chain) {
        return chainIds.computeIfAbsent(chain, c -> chainIds.size() + 1);
    }
}
