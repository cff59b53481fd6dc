package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Pods' veths found over rtnetlink on a node made of test namespaces: a "node" namespace (where the agent's thread
 * runs) holding a bridge and the host side of a pod's veth, the pod's namespace, and an unrelated namespace that
 * holds another address of the pod network.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
class PodVethsTest {
    private static final Ipv4Address GATEWAY = Ipv4Address.parse("10.77.0.1");
    private static final Ipv4Address POD = Ipv4Address.parse("10.77.0.2");
    private static final Ipv4Address ELSEWHERE = Ipv4Address.parse("10.77.0.3");

    private final Shell shell = Shell.system();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String node = "bpvn-" + suffix;
    private final String pod = "bpvp-" + suffix;
    private final String elsewhere = "bpve-" + suffix;
    private final String hostSide = "bpv" + suffix;
    private final String bridge = "bpvb" + suffix;
    private final List<String> namespaces = new ArrayList<>();

    @AfterEach
    void removeNamespaces() {
        namespaces.forEach(ns -> shell.succeeds(List.of("ip", "netns", "del", ns)));
    }

    @Test
    void findsAPodsVethByItsIpAndLooksAgainOnceItIsReplaced() {
        for (String ns : List.of(node, pod, elsewhere)) {
            ip("netns", "add", ns);
            namespaces.add(ns);
        }
        ip("-n", node, "link", "add", bridge, "type", "bridge");
        ip("-n", node, "addr", "add", GATEWAY + "/24", "dev", bridge);
        podVeth("0a:58:0a:4d:00:02");
        ip("-n", elsewhere, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        ip("-n", elsewhere, "addr", "add", ELSEWHERE + "/24", "dev", "eth0");

        PodVeths veths = new PodVeths(new NetlinkNodeInterfaces());
        Optional<PodVeth> first = NetworkNamespace.call(node, () -> veths.find(POD));
        int firstIndex = NetworkNamespace.call(node, () -> Interfaces.index(hostSide));
        assertEquals(Optional.of(new PodVeth(hostSide, firstIndex, pod, "eth0", MacAddress.parse("0a:58:0a:4d:00:02"))),
                first);
        assertEquals(Optional.empty(), NetworkNamespace.call(node, () -> veths.find(ELSEWHERE)),
                "no veth of the node leads to that namespace");
        assertEquals(bridge, NetworkNamespace.call(node, () -> veths.holding(GATEWAY)));

        ip("-n", node, "link", "del", hostSide);
        podVeth("0a:58:0a:4d:00:12");
        PodVeth second = NetworkNamespace.call(node, () -> veths.find(POD)).orElseThrow();
        assertNotEquals(firstIndex, second.hostIfindex(), "a new veth under the same name");
        assertEquals(NetworkNamespace.call(node, () -> Interfaces.index(hostSide)), second.hostIfindex());
        assertEquals(MacAddress.parse("0a:58:0a:4d:00:12"), second.mac(), "the recreated pod's MAC");
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> NetworkNamespace.call(node, () -> veths.holding(ELSEWHERE)));
        assertTrue(none.getMessage().contains(ELSEWHERE.toString()), none.getMessage());
    }

    /** The pod's veth as a CNI plugin makes it: host side in the node, eth0 in the pod with its address. */
    private void podVeth(String mac) {
        ip("-n", node, "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", pod);
        ip("-n", pod, "link", "set", "eth0", "address", mac);
        ip("-n", pod, "addr", "add", POD + "/24", "dev", "eth0");
    }

    private void ip(String... arguments) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(arguments));
        shell.run(argv);
    }
}
