package dev.bastion.agent.enforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.agent.lab.LabException;
import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.net.Interfaces;
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
 * the same address is never taken. Reads {@code ip -json}; what it found is reused until the host-side veth is gone.
 * Calls run in the calling thread's network namespace, which must be the agent's; one thread at a time (the agent's
 * poll thread).
 */
public final class PodVeths {
    private static final Logger log = LoggerFactory.getLogger(PodVeths.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Shell shell;
    private final Map<Ipv4Address, PodVeth> known = new HashMap<>();

    public PodVeths(Shell shell) {
        this.shell = shell;
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
        for (JsonNode link : json(List.of("ip", "-json", "-4", "addr", "show"))) {
            for (JsonNode a : link.path("addr_info")) {
                if (address.toString().equals(a.path("local").asText())) {
                    return link.path("ifname").asText();
                }
            }
        }
        throw new IllegalStateException("no interface of this node holds " + address);
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
        Map<Integer, String> namespaces = new HashMap<>(); // netns id (as the agent's namespace sees it) -> name
        for (JsonNode ns : json(List.of("ip", "-json", "netns", "list"))) {
            if (ns.has("id")) {
                namespaces.put(ns.path("id").asInt(), ns.path("name").asText());
            }
        }
        known.clear();
        Map<String, JsonNode> podLinks = new HashMap<>();
        for (JsonNode veth : json(List.of("ip", "-json", "link", "show", "type", "veth"))) {
            String namespace = namespaces.get(veth.path("link_netnsid").asInt(-1));
            if (namespace == null) {
                continue;
            }
            JsonNode peer = peer(podLinks, namespace, veth.path("link_index").asInt());
            if (peer == null) {
                continue;
            }
            PodVeth found = new PodVeth(veth.path("ifname").asText(), veth.path("ifindex").asInt(), namespace,
                    peer.path("ifname").asText(), MacAddress.parse(peer.path("address").asText()));
            for (JsonNode a : peer.path("addr_info")) {
                if ("inet".equals(a.path("family").asText())) {
                    known.put(Ipv4Address.parse(a.path("local").asText()), found);
                }
            }
        }
        log.debug("pod veths of this node: {}", known);
    }

    /** The interface with {@code ifindex} in {@code namespace}; the namespace's links are read once per scan. */
    private JsonNode peer(Map<String, JsonNode> podLinks, String namespace, int ifindex) {
        JsonNode links = podLinks.computeIfAbsent(namespace, ns -> {
            try {
                return json(List.of("ip", "-json", "-n", ns, "addr", "show"));
            } catch (LabException e) {
                log.debug("network namespace {} skipped: {}", ns, e.getMessage()); // gone since it was listed
                return JSON.createArrayNode();
            }
        });
        for (JsonNode link : links) {
            if (link.path("ifindex").asInt() == ifindex) {
                return link;
            }
        }
        return null;
    }

    /** What {@code ip -json} lists (an array). */
    private JsonNode json(List<String> argv) {
        String out = shell.run(argv);
        if (out.isBlank()) {
            return JSON.createArrayNode(); // ip prints nothing at all when there is nothing to list
        }
        try {
            return JSON.readTree(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("'" + String.join(" ", argv) + "' printed no JSON: " + e.getMessage());
        }
    }
}
