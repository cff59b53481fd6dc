package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bastion.datapath.net.Link;
import dev.bastion.policies.collect.Collector;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Pods' MACs from their veths, against the interfaces a node would list. */
class PodMacsTest {
    /** The agent's namespace's interfaces, the named namespaces' ones, and the ids the agent's gives them. */
    private final List<NodeInterface> own = new ArrayList<>();
    private final Map<String, List<NodeInterface>> named = new HashMap<>();
    private final Map<Integer, String> ids = new HashMap<>();
    private final NodeInterfaces node = new NodeInterfaces() {
        @Override
        public List<NodeInterface> own() {
            return List.copyOf(own);
        }

        @Override
        public List<NodeInterface> in(String namespace) {
            return Optional.ofNullable(named.get(namespace))
                    .orElseThrow(() -> new IllegalArgumentException("no namespace " + namespace));
        }

        @Override
        public Map<Integer, String> namedById() {
            return Map.copyOf(ids);
        }
    };

    @Test
    void podsOfThisNodeGetTheirInterfacesMacAndOneWithoutAVethYetIsLookedForAgain() throws Exception {
        Inventory fromApi = new Inventory("kubernetes", Optional.empty(),
                List.of(new HostNode("node1", Optional.empty()), new HostNode("node2", Optional.empty())), List.of(),
                List.of(pod("shop/a", "node1", "10.0.0.2"), pod("shop/b", "node1", "10.0.0.3"),
                        pod("shop/c", "node2", "10.0.0.4")),
                List.of(), List.of(), List.of(), List.of());
        Queue<Inventory> api = new ArrayDeque<>(List.of(fromApi));
        Collector pods = () -> Optional.ofNullable(api.poll());
        ids.put(0, "cni-a");
        own.add(hostVeth(7, "vethA", 2, 0));
        named.put("cni-a", List.of(new NodeInterface(link(1, "lo", 0), List.of()),
                podEnd(2, 0x0a0000000002L, "10.0.0.2")));
        // A namespace this node's veths do not lead to (another lab, another node) holding b's IP: never taken.
        named.put("elsewhere", List.of(podEnd(2, 0x0a0000000099L, "10.0.0.3")));
        PodMacs macs = new PodMacs(pods, "node1", new PodVeths(node));

        Inventory first = macs.poll().orElseThrow();
        assertEquals(Optional.of(MacAddress.parse("0a:00:00:00:00:02")), first.container("shop/a").orElseThrow().mac());
        assertEquals(Optional.empty(), first.container("shop/b").orElseThrow().mac(), "no veth of this node holds it");
        assertEquals(Optional.empty(), first.container("shop/c").orElseThrow().mac(), "another node's pod");

        ids.put(1, "cni-b");
        own.add(hostVeth(8, "vethB", 2, 1));
        named.put("cni-b", List.of(podEnd(2, 0x0a0000000003L, "10.0.0.3")));
        Inventory second = macs.poll().orElseThrow(() -> new AssertionError("b's veth appeared: a new inventory"));
        assertEquals(Optional.of(MacAddress.parse("0a:00:00:00:00:03")), second.container("shop/b").orElseThrow().mac());
        assertEquals(first.container("shop/a"), second.container("shop/a"));
        assertEquals(Optional.empty(), macs.poll(), "nothing new from the API and no pod left to look for");
    }

    private static NodeInterface hostVeth(int index, String name, int peerIndex, int peerNamespaceId) {
        return new NodeInterface(new Link(index, name, OptionalLong.of(0x02_0000_0000_00L | index), Optional.of("veth"),
                OptionalInt.of(peerIndex), OptionalInt.of(peerNamespaceId)), List.of());
    }

    private static NodeInterface podEnd(int index, long mac, String ip) {
        return new NodeInterface(new Link(index, "eth0", OptionalLong.of(mac), Optional.of("veth"), OptionalInt.empty(),
                OptionalInt.empty()), List.of(Ipv4Address.parse(ip)));
    }

    private static Link link(int index, String name, long mac) {
        return new Link(index, name, OptionalLong.of(mac), Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    private static Container pod(String name, String node, String ip) {
        return new Container(name, name, node, Optional.empty(), Optional.of(Ipv4Address.parse(ip)), Optional.empty(),
                false, Map.of());
    }
}
