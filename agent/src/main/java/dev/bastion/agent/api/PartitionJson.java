package dev.bastion.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.Endpoint;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.dependency.ServiceEntry;
import dev.bastion.policies.model.Container;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The JSON shape of containers' partitions, shared by {@code bastion policy deps --json} and the agent's API. */
public final class PartitionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PartitionJson() {
    }

    /** {"containers": {name: partition}} for the given containers; host-network ones are marked and have no partition. */
    public static ObjectNode of(List<Container> containers, Map<String, ContainerPartition> partitions) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode out = root.putObject("containers");
        for (Container c : containers) {
            ContainerPartition p = partitions.get(c.name());
            ObjectNode node = out.putObject(c.name());
            node.put("hostNetwork", p == null);
            if (p != null) {
                partition(node, p);
            }
        }
        return root;
    }

    private static void partition(ObjectNode node, ContainerPartition p) {
        endpoint(node.putObject("self"), p.self());
        ArrayNode peers = node.putArray("peers");
        for (PeerAccess a : p.peers()) {
            ObjectNode peer = endpoint(peers.addObject(), a.peer());
            strings(peer.putArray("egress"), a.egress());
            strings(peer.putArray("ingress"), a.ingress());
        }
        ArrayNode services = node.putArray("services");
        for (ServiceEntry s : p.services()) {
            ArrayNode backends = services.addObject().put("ip", s.ip().toString()).put("port", s.port().toString())
                    .putArray("backends");
            s.backends().forEach(b -> endpoint(backends.addObject(), b.endpoint()).put("targetPort", b.targetPort()));
        }
        strings(node.putArray("deniedIps"), p.deniedIps());
        strings(node.putArray("deniedMacs"), p.deniedMacs());
    }

    private static ObjectNode endpoint(ObjectNode node, Endpoint e) {
        // Another node's peer may have no MAC: frames to it go to its node.
        return node.put("container", e.container()).put("ip", e.ip().toString())
                .put("mac", e.mac().map(Object::toString).orElse(null)).put("node", e.node());
    }

    private static void strings(ArrayNode array, Collection<?> items) {
        items.stream().map(Object::toString).sorted().forEach(array::add);
    }
}
