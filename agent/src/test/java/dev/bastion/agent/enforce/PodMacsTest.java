package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.collect.Collector;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Pods' MACs from their veths, against what {@code ip -json} would print on a node. */
class PodMacsTest {
    private static final String VETHS = "ip -json link show type veth";

    /** Answers each command line with what is set for it; an unknown namespace fails as ip's -n does. */
    private final Map<String, String> printed = new HashMap<>();
    private final Shell ip = new Shell() {
        @Override
        public String run(List<String> argv) {
            String out = printed.get(String.join(" ", argv));
            if (out == null) {
                throw new IllegalStateException("unexpected command " + argv);
            }
            return out;
        }

        @Override
        public boolean succeeds(List<String> argv) {
            return printed.containsKey(String.join(" ", argv));
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
        printed.put("ip -json netns list", """
                [{"name":"cni-a","id":0},{"name":"elsewhere"}]""");
        printed.put(VETHS, """
                [{"ifindex":7,"link_index":2,"ifname":"vethA","link_netnsid":0}]""");
        printed.put("ip -json -n cni-a addr show", """
                [{"ifindex":1,"ifname":"lo","address":"00:00:00:00:00:00","addr_info":[]},
                 {"ifindex":2,"ifname":"eth0","address":"0a:00:00:00:00:02",
                  "addr_info":[{"family":"inet","local":"10.0.0.2"}]}]""");
        // A namespace this node's veths do not lead to (another lab, another node) holding b's IP: never taken.
        printed.put("ip -json -n elsewhere addr show", """
                [{"ifindex":2,"ifname":"eth0","address":"0a:00:00:00:00:99",
                  "addr_info":[{"family":"inet","local":"10.0.0.3"}]}]""");
        PodMacs macs = new PodMacs(pods, "node1", new PodVeths(ip));

        Inventory first = macs.poll().orElseThrow();
        assertEquals(Optional.of(MacAddress.parse("0a:00:00:00:00:02")), first.container("shop/a").orElseThrow().mac());
        assertEquals(Optional.empty(), first.container("shop/b").orElseThrow().mac(), "no veth of this node holds it");
        assertEquals(Optional.empty(), first.container("shop/c").orElseThrow().mac(), "another node's pod");

        printed.put("ip -json netns list", """
                [{"name":"cni-a","id":0},{"name":"elsewhere"},{"name":"cni-b","id":1}]""");
        printed.put(VETHS, """
                [{"ifindex":7,"link_index":2,"ifname":"vethA","link_netnsid":0},
                 {"ifindex":8,"link_index":2,"ifname":"vethB","link_netnsid":1}]""");
        printed.put("ip -json -n cni-b addr show", """
                [{"ifindex":2,"ifname":"eth0","address":"0a:00:00:00:00:03",
                  "addr_info":[{"family":"inet","local":"10.0.0.3"}]}]""");
        Inventory second = macs.poll().orElseThrow(() -> new AssertionError("b's veth appeared: a new inventory"));
        assertEquals(Optional.of(MacAddress.parse("0a:00:00:00:00:03")), second.container("shop/b").orElseThrow().mac());
        assertEquals(first.container("shop/a"), second.container("shop/a"));
        assertEquals(Optional.empty(), macs.poll(), "nothing new from the API and no pod left to look for");
    }

    private static Container pod(String name, String node, String ip) {
        return new Container(name, name, node, Optional.empty(), Optional.of(Ipv4Address.parse(ip)), Optional.empty(),
                false, Map.of());
    }
}
