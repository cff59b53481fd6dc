package dev.bastion.agent.enforce;

import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.Link;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the veths of this node's pods by pod IP, as CNI plugins leave them: the pod's network namespace is named
 * under /run/netns and holds one end of a veth whose other end is in the agent's namespace. Only namespaces that
 * hold the peer of one of the agent's veths are looked into, so another node's (or another lab's) namespace with
 * the same address is never taken. Reads the node's {@link NodeInterfaces}; what it found is reused until the
 * host-side veth is gone. Calls run in the calling thread's network namespace, which must be the agent's; one
 * thread at a time (the agent's poll thread).
 */
public final class PodVeths {
    private static final Logger log = LoggerFactory.getLogger(PodVeths.class);

    private final NodeInterfaces node;
    private final Map<Ipv4Address, PodVeth> known = new HashMap<>();

    public PodVeths(NodeInterfaces node) {
        this.node = node;
    }

    /** The veth of the pod holding {@code ip}, empty if no pod namespace of this node holds it. */
    public Optional<PodVeth> find(Ipv4Address ip) {
        return Optional.ofNullable(find(Set.of(ip)).get(ip));
    }

    /** The veths of the pods holding {@code ips} (those found); looks at the node again at most once. */
    public Map<Ipv4Address, PodVeth> find(Set<Ipv4Address> ips) {
        if (!ips.stream().allMatch(ip -> known.containsKey(ip) && current(known.get(ip)))) {
            rescan();
        }
        Map<Ipv4Address, PodVeth> out = new HashMap<>();
        ips.forEach(ip -> Optional.ofNullable(known.get(ip)).ifPresent(v -> out.put(ip, v)));
        return out;
    }

    /** The interface of the agent's namespace that holds {@code address} (a pod network's gateway: the bridge). */
    public String holding(Ipv4Address address) {
        return node.own().stream().filter(i -> i.addresses().contains(address)).map(i -> i.link().name())
                .findFirst().orElseThrow(() -> new IllegalStateException("no interface of this node holds " + address));
    }

    /** A veth replaced under the same name (a pod recreated) has a new ifindex. */
    private static boolean current(PodVeth veth) {
        try {
            return Interfaces.index(veth.hostSide()) == veth.hostIfindex();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void rescan() {
        known.clear();
        List<Link> veths = node.own().stream().map(NodeInterface::link)
                .filter(l -> l.kind().equals(Optional.of("veth")) && l.peerNamespaceId().isPresent()
                        && l.peerIndex().isPresent())
                .toList();
        Map<Integer, String> namespaces = veths.isEmpty() ? Map.of() : node.namedById();
        Map<String, List<NodeInterface>> podInterfaces = new HashMap<>();
        for (Link veth : veths) {
            String namespace = namespaces.get(veth.peerNamespaceId().getAsInt());
            if (namespace == null) {
                continue;
            }
            Optional<NodeInterface> peer = peer(podInterfaces, namespace, veth.peerIndex().getAsInt());
            if (peer.isEmpty() || peer.get().link().mac().isEmpty()) {
                continue;
            }
            PodVeth found = new PodVeth(veth.name(), veth.index(), namespace, peer.get().link().name(),
                    new MacAddress(peer.get().link().mac().getAsLong()));
            peer.get().addresses().forEach(ip -> known.put(ip, found));
        }
        log.debug("pod veths of this node: {}", known);
    }

    /** The interface with {@code ifindex} in {@code namespace}; the namespace's interfaces are read once per scan. */
    private Optional<NodeInterface> peer(Map<String, List<NodeInterface>> podInterfaces, String namespace,
            int ifindex) {
        List<NodeInterface> interfaces = podInterfaces.computeIfAbsent(namespace, ns -> {
            try {
                return node.in(ns);
            } catch (IllegalArgumentException | IllegalStateException e) {
                log.debug("network namespace {} skipped: {}", ns, e.getMessage()); // gone since it was listed
                return List.of();
            }
        });
        return interfaces.stream().filter(i -> i.link().index() == ifindex).findFirst();
    }
}
