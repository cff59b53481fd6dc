package dev.bastion.datapath.enforce;

import static dev.bastion.datapath.net.VethLab.ip;

import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Docker-like wiring in namespaces of its own: a "node" namespace holding a Linux bridge with the gateway address,
 * and one namespace per container joined to the bridge by a veth pair (host end on the bridge, {@code eth0}
 * inside). Names carry a random suffix; closing deletes the namespaces and with them every veth and the bridge.
 */
final class BridgeLab implements AutoCloseable {
    static final String SUBNET_PREFIX = "10.77.0.";
    static final String GATEWAY = SUBNET_PREFIX + "1";
    static final String GATEWAY_MAC = "02:77:00:00:00:01";

    /** A container of the lab: its namespace, host-side veth (in the node namespace) and address. */
    record Container(String namespace, String hostVeth, String ip, long mac) {
    }

    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String node = "bnode-" + suffix;
    final String bridge = "bbr" + suffix;
    private final List<String> namespaces = new ArrayList<>();

    BridgeLab() {
        namespaces.add(node);
        try {
            ip("netns", "add", node);
            ip("-n", node, "link", "add", bridge, "address", GATEWAY_MAC, "type", "bridge");
            ip("-n", node, "addr", "add", GATEWAY + "/24", "dev", bridge);
            ip("-n", node, "link", "set", bridge, "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Container add(int hostPart) {
        String namespace = "bc" + hostPart + "-" + suffix;
        String hostVeth = "bv" + hostPart + suffix;
        String address = SUBNET_PREFIX + hostPart;
        String mac = String.format("02:77:00:00:00:%02x", hostPart);
        namespaces.add(namespace);
        ip("netns", "add", namespace);
        ip("-n", node, "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "address", mac, "netns",
                namespace);
        ip("-n", node, "link", "set", hostVeth, "master", bridge, "up");
        ip("-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", namespace, "link", "set", "eth0", "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "route", "add", "default", "via", GATEWAY);
        return new Container(namespace, hostVeth, address, Addresses.mac(mac));
    }

    int hostIfindex(Container container) {
        return NetworkNamespace.call(node, () -> Interfaces.index(container.hostVeth()));
    }

    int containerIfindex(Container container) {
        return NetworkNamespace.call(container.namespace(), () -> Interfaces.index("eth0"));
    }

    @Override
    public void close() {
        for (String namespace : namespaces) {
            try {
                ip("netns", "del", namespace);
            } catch (RuntimeException e) {
                // already gone; the others must still go
            }
        }
    }
}
