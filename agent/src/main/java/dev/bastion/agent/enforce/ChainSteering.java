package dev.bastion.agent.enforce;

import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.BridgeContainer;
import dev.bastion.chain.compile.SteeringEntry;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.SteeringMap.SteeringRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the chains' steering entries into the datapath's steering map and the bridge's sockets (in tc mode also
 * the node's {@link SteeringPort}, and the containers' offloads, see {@link DatapathEnforcer#bridged}). A container gets
 * its AF_XDP socket before the first entry that steers to it, and loses it only after its last entry is gone: a
 * steered flow never meets a missing socket while it should be chained (the datapath would drop it, fail closed).
 */
public final class ChainSteering {
    private static final Logger log = LoggerFactory.getLogger(ChainSteering.class);

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
    private boolean steeringPortOpen;

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
        Map<Key, List<SteeringRule>> wanted = new HashMap<>();
        for (SteeringEntry e : entries) {
            var guarded = enforcer.protectedContainer(e.container());
            if (guarded.isEmpty()) {
                continue;
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
        for (String container : needPorts) {
            if (!ports.containsKey(container)) {
                DatapathEnforcer.Protected p = enforcer.protectedContainer(container).orElseThrow();
                enforcer.bridged(container, true);
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
                enforcer.bridged(container, false);
            }
        }
        written = wanted;
        log.info("steering: {} entries for {} containers", wanted.size(), needPorts.size());
    }

    /** A small stable number per chain name: the datapath's rules carry it, the bridge's engine selects by name. */
    private int chainId(String chain) {
        return chainIds.computeIfAbsent(chain, c -> chainIds.size() + 1);
    }
}
