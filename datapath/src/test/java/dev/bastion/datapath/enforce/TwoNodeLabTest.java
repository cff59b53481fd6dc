package dev.bastion.datapath.enforce;

import static dev.bastion.datapath.enforce.LabTraffic.connects;
import static dev.bastion.datapath.enforce.LabTraffic.countOnce;
import static dev.bastion.datapath.enforce.LabTraffic.listen;
import static dev.bastion.datapath.enforce.LabTraffic.send;
import static dev.bastion.datapath.net.VethLab.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.datapath.enforce.BridgeLab.Container;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two lab nodes, each with its own bridge, container and datapath, joined by a veth underlay between their
 * external interfaces: a container reaches the other node's container only through the datapath (rewritten MACs
 * out of the external interface, admitted and handed in by the other node's external program), on the allowed
 * port only. Both containers have the host egress guard: nothing of this path crosses the host-side veth's egress.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds namespaces, attaches eBPF")
class TwoNodeLabTest {
    static final int ID = 1;
    static final int ALLOWED = 8080;
    static final int DENIED = 9090;
    static final int BULK = 8 * 1024 * 1024;
    static final String EXTERNAL_MAC_1 = "02:88:00:00:00:01";
    static final String EXTERNAL_MAC_2 = "02:88:00:00:00:02";

    final BridgeLab node1 = new BridgeLab(1);
    final BridgeLab node2 = new BridgeLab(2);
    final String external1 = "bx1" + node1.suffix;
    final String external2 = "bx2" + node2.suffix;
    final String instance = UUID.randomUUID().toString().substring(0, 8);
    final Datapath datapath1 = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-node1-" + instance));
    final Datapath datapath2 = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-node2-" + instance));

    @AfterEach
    void tearDown() {
        try {
            datapath1.remove();
            datapath2.remove();
        } finally {
            datapath1.close();
            datapath2.close();
            node1.close();
            node2.close();
        }
    }

    @ParameterizedTest
    @EnumSource(LabMode.class)
    void containersOnTwoNodesTalkThroughTheExternalInterfaces(LabMode mode) throws Exception {
        ip("-n", node1.node, "link", "add", external1, "address", EXTERNAL_MAC_1, "type", "veth", "peer", "name",
                external2, "address", EXTERNAL_MAC_2, "netns", node2.node);
        ip("-n", node1.node, "addr", "add", "192.168.77.1/24", "dev", external1);
        ip("-n", node2.node, "addr", "add", "192.168.77.2/24", "dev", external2);
        ip("-n", node1.node, "link", "set", external1, "up");
        ip("-n", node2.node, "link", "set", external2, "up");
        Container client = node1.add(2);
        Container server = node2.add(2);
        node1.protect(datapath1, client, ID, mode);
        node2.protect(datapath2, server, ID, mode);
        node1.guard(datapath1, client, ID);
        node2.guard(datapath2, server, ID);
        int clientIp = Addresses.ip(client.ip());
        int serverIp = Addresses.ip(server.ip());
        long mac1 = Addresses.mac(EXTERNAL_MAC_1);
        long mac2 = Addresses.mac(EXTERNAL_MAC_2);
        int ifindex1 = attachExternal(datapath1, node1, external1, mode);
        int ifindex2 = attachExternal(datapath2, node2, external2, mode);
        datapath1.forwarding().putAll(Map.of(
                clientIp, Forward.local(node1.hostIfindex(client), ID, client.mac()),
                serverIp, Forward.remote(ifindex1, server.mac(), mac2, mac1),
                Addresses.ip(node1.gateway), Forward.host(Addresses.mac(node1.gatewayMac))));
        datapath2.forwarding().putAll(Map.of(
                serverIp, Forward.local(node2.hostIfindex(server), ID, server.mac()),
                clientIp, Forward.remote(ifindex2, client.mac(), mac1, mac2),
                Addresses.ip(node2.gateway), Forward.host(Addresses.mac(node2.gatewayMac))));
        datapath1.peers().put(ID, serverIp, List.of(new PortRange(IpProtocol.TCP, ALLOWED, ALLOWED, Direction.EGRESS)));
        datapath2.peers().put(ID, clientIp, List.of(new PortRange(IpProtocol.TCP, ALLOWED, ALLOWED,
                Direction.INGRESS)));

        try (ServerSocket allowed = listen(server.namespace(), server.ip(), ALLOWED);
                ServerSocket denied = listen(server.namespace(), server.ip(), DENIED)) {
            Thread counter = countOnce(allowed);
            assertEquals(BULK, send(client, server.ip(), ALLOWED, BULK));
            counter.join(5000);
            assertFalse(connects(client, server.ip(), DENIED), "port " + DENIED + " is not in the policy");
        }
        assertTrue(datapath1.counters().read(ID, Reason.FORWARD_REMOTE).packets() > 0);
        assertTrue(datapath2.counters().read(ID, Reason.EXT_DELIVERED).packets() > 0);
        assertTrue(datapath2.counters().read(ID, Reason.FORWARD_REMOTE).packets() > 0, "replies went back directly");
        assertTrue(datapath1.counters().read(ID, Reason.EXT_DELIVERED).packets() > 0);
        assertTrue(datapath1.counters().read(ID, Reason.PORT_DENIED).packets() > 0);
    }

    static int attachExternal(Datapath datapath, BridgeLab node, String external, LabMode mode) {
        return NetworkNamespace.call(node.node, () -> {
            int ifindex = Interfaces.index(external);
            datapath.attach(mode.external, ifindex, "external");
            return ifindex;
        });
    }
}
