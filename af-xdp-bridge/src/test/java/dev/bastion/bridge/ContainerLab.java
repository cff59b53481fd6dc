package dev.bastion.bridge;

import static dev.bastion.bridge.Shell.ip;

import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * Containers the way Docker wires them, in namespaces of the test's own: a node namespace with a Linux bridge
 * holding the gateway address, and per container a namespace joined to it by a veth (host end on the bridge,
 * eth0 inside). Random suffixes keep names apart; closing deletes every namespace, and with them the links.
 */
final class ContainerLab implements AutoCloseable {
    static final String SUBNET = "10.78.0.";
    static final String GATEWAY = SUBNET + "1";

    /** A container: namespace, host-side veth and its index in the node namespace, eth0's index, address, MAC. */
    record Container(String namespace, String hostVeth, int hostIfindex, int ifindex, String ip, long mac) {
        int ipValue() {
            return Addresses.ip(ip);
        }
    }

    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String node = "xnode-" + suffix;
    private final List<String> namespaces = new ArrayList<>(List.of(node));

    ContainerLab() {
        String bridge = "xbr" + suffix;
        try {
            ip("netns", "add", node);
            ip("-n", node, "link", "add", bridge, "type", "bridge");
            ip("-n", node, "addr", "add", GATEWAY + "/24", "dev", bridge);
            ip("-n", node, "link", "set", bridge, "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Container add(int host) {
        String namespace = "xc" + host + "-" + suffix;
        String hostVeth = "xv" + host + suffix;
        String mac = String.format("02:78:00:00:00:%02x", host);
        namespaces.add(namespace);
        ip("netns", "add", namespace);
        ip("-n", node, "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "address", mac,
                "netns", namespace);
        ip("-n", node, "link", "set", hostVeth, "master", "xbr" + suffix, "up");
        ip("-n", namespace, "addr", "add", SUBNET + host + "/24", "dev", "eth0");
        ip("-n", namespace, "link", "set", "eth0", "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        return new Container(namespace, hostVeth, NetworkNamespace.call(node, () -> Interfaces.index(hostVeth)),
                NetworkNamespace.call(namespace, () -> Interfaces.index("eth0")), SUBNET + host, Addresses.mac(mac));
    }

    /** Deletes the containers' namespaces first, then the node's; a failure does not stop the others. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                ip("netns", "del", namespaces.get(i));
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            LoggerFactory.getLogger(ContainerLab.class).warn("lab cleanup: {}", first.getMessage());
        }
    }
}
