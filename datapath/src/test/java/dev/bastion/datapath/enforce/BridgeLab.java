package dev.bastion.datapath.enforce;

import static dev.bastion.datapath.net.VethLab.ip;

import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.EndpointMap.Endpoint;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Docker-like wiring in namespaces of its own: a "node" namespace holding a Linux bridge with the gateway address,
 * and one namespace per container joined to the bridge by a veth pair (host end on the bridge, {@code eth0}
 * inside). Names carry a random suffix; closing deletes the namespaces and with them every veth and the bridge.
 */
final class BridgeLab implements AutoCloseable {
    /** Containers get 10.77.{subnet}.{n}/24 and MAC 02:77:00:00:{subnet}:{n}; the gateway is n = 1. */
    final int subnet;
    final String gateway;
    final String gatewayMac;

    /** A container of the lab: its namespace, host-side veth (in the node namespace) and address. */
    record Container(String namespace, String hostVeth, String ip, long mac) {
    }

    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String node = "bnode-" + suffix;
    final String bridge = "bbr" + suffix;
    private final List<String> namespaces = new ArrayList<>();

    BridgeLab(int subnet) {
        this.subnet = subnet;
        this.gateway = address(1);
        this.gatewayMac = mac(1);
        namespaces.add(node);
        try {
            ip("netns", "add", node);
            ip("-n", node, "link", "add", bridge, "address", gatewayMac, "type", "bridge");
            ip("-n", node, "addr", "add", gateway + "/24", "dev", bridge);
            ip("-n", node, "link", "set", bridge, "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Container add(int hostPart) {
        String namespace = "bc" + subnet + "x" + hostPart + "-" + suffix;
        String hostVeth = "bv" + subnet + "x" + hostPart + suffix;
        String address = address(hostPart);
        String mac = mac(hostPart);
        namespaces.add(namespace);
        ip("netns", "add", namespace);
        ip("-n", node, "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "address", mac, "netns",
                namespace);
        ip("-n", node, "link", "set", hostVeth, "master", bridge, "up");
        ip("-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", namespace, "link", "set", "eth0", "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "route", "add", "default", "via", gateway);
        return new Container(namespace, hostVeth, address, Addresses.mac(mac));
    }

    private String address(int hostPart) {
        return "10.77." + subnet + "." + hostPart;
    }

    private String mac(int hostPart) {
        return String.format("02:77:00:00:%02x:%02x", subnet, hostPart);
    }

    /**
     * Registers the container with {@code datapath} as {@code id} and attaches its programs in {@code mode} (or,
     * when already attached, replaces them atomically). XDP mode also turns the container's TX checksum offload off
     * and gives its eth0 the XDP_PASS program that redirected frames need.
     */
    void protect(Datapath datapath, Container container, int id, LabMode mode) {
        int hostIfindex = hostIfindex(container);
        datapath.endpoints().put(hostIfindex, new Endpoint(id, Addresses.ip(container.ip()), container.mac(),
                Addresses.ip(gateway)));
        if (mode == LabMode.XDP) {
            int containerIfindex = containerIfindex(container);
            NetworkNamespace.run(container.namespace(), () -> {
                Offload.TX_CHECKSUM.set("eth0", false);
                datapath.attach(Entry.CONTAINER_PASS, containerIfindex, "pass-" + id);
            });
        }
        NetworkNamespace.run(node, () -> datapath.attach(mode.host, hostIfindex, "host-" + id));
    }

    /** Attaches the host egress guard (bastion_egress) to the container's host-side veth, as the agent does. */
    void guard(Datapath datapath, Container container, int id) {
        int hostIfindex = hostIfindex(container);
        NetworkNamespace.run(node, () -> datapath.attach(Entry.HOST_EGRESS_TC, hostIfindex, "egress-" + id));
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
