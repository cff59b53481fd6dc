package dev.bastion.datapath.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.datapath.enforce.BridgeLab.Container;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.EndpointMap.Endpoint;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.maps.ServiceMap.Backend;
import dev.bastion.datapath.maps.ServiceMap.ServiceAddress;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Two containers on a bridge, protected by the real programs on their host-side veths: client may open the
 * server's port 8080 (directly or through a service IP) and nothing else, not even the gateway. Real TCP through
 * the kernel, in XDP mode and in tc mode (where checksum offload stays on, so NAT meets partial checksums).
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds namespaces, attaches eBPF")
class LabDatapathTest {
    static final int ALLOWED = 8080;
    static final int DENIED = 9090;
    static final int CLIENT_ID = 1;
    static final int SERVER_ID = 2;
    static final String SERVICE_IP = "10.96.0.10";
    static final int SERVICE_PORT = 80;
    static final int GATEWAY_PORT = 2222;
    static final int BULK = 32 * 1024 * 1024;

    enum Mode {
        XDP, TC
    }

    final BridgeLab lab = new BridgeLab();
    final Datapath datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-lab-" + UUID.randomUUID()
            .toString().substring(0, 8)));

    @AfterEach
    void tearDown() {
        try {
            datapath.remove();
            datapath.close();
        } finally {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void allowedPortConnectsAndOthersDoNot(Mode mode) throws Exception {
        Container client = lab.add(2);
        Container server = lab.add(3);
        protect(client, CLIENT_ID, mode);
        protect(server, SERVER_ID, mode);
        int clientIp = Addresses.ip(client.ip());
        int serverIp = Addresses.ip(server.ip());
        int gatewayIp = Addresses.ip(BridgeLab.GATEWAY);
        long gatewayMac = Addresses.mac(BridgeLab.GATEWAY_MAC);
        datapath.forwarding().putAll(Map.of(
                clientIp, Forward.local(lab.hostIfindex(client), CLIENT_ID, client.mac()),
                serverIp, Forward.local(lab.hostIfindex(server), SERVER_ID, server.mac()),
                gatewayIp, Forward.host(gatewayMac)));
        datapath.gateways().denyAll(CLIENT_ID, List.of(gatewayIp), List.of(gatewayMac));
        datapath.gateways().denyAll(SERVER_ID, List.of(gatewayIp), List.of(gatewayMac));
        datapath.services().put(new ServiceAddress(Addresses.ip(SERVICE_IP), SERVICE_PORT, IpProtocol.TCP),
                List.of(new Backend(serverIp, ALLOWED)));
        datapath.peers().put(CLIENT_ID, serverIp, List.of(new PortRange(IpProtocol.TCP, ALLOWED, ALLOWED,
                Direction.EGRESS)));
        datapath.peers().put(SERVER_ID, clientIp, List.of(new PortRange(IpProtocol.TCP, ALLOWED, ALLOWED,
                Direction.INGRESS)));

        try (ServerSocket allowed = listen(server.namespace(), server.ip(), ALLOWED);
                ServerSocket denied = listen(server.namespace(), server.ip(), DENIED);
                ServerSocket gateway = listen(lab.node, BridgeLab.GATEWAY, GATEWAY_PORT)) {
            Thread counter = countOnce(allowed);
            assertEquals(BULK, send(client, server.ip(), ALLOWED, BULK));
            counter.join(5000);
            counter = countOnce(allowed);
            assertEquals(BULK, send(client, SERVICE_IP, SERVICE_PORT, BULK));
            counter.join(5000);

            assertFalse(connects(client, server.ip(), DENIED), "port " + DENIED + " is not in the policy");
            assertFalse(connects(client, BridgeLab.GATEWAY, GATEWAY_PORT), "the gateway is denied");
        }
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.FORWARD_LOCAL).packets() > 0);
        assertTrue(datapath.counters().read(SERVER_ID, Reason.FORWARD_LOCAL).packets() > 0);
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.PORT_DENIED).packets() > 0);
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.GATEWAY).packets() > 0);
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.ARP_REPLIED).packets() > 0,
                "the client learnt the server's MAC from the datapath");
    }

    void protect(Container container, int id, Mode mode) {
        int hostIfindex = lab.hostIfindex(container);
        datapath.endpoints().put(hostIfindex, new Endpoint(id, Addresses.ip(container.ip()), container.mac(),
                Addresses.ip(BridgeLab.GATEWAY)));
        if (mode == Mode.XDP) {
            int containerIfindex = lab.containerIfindex(container);
            NetworkNamespace.run(container.namespace(), () -> {
                Offload.TX_CHECKSUM.set("eth0", false);
                datapath.attach(Entry.CONTAINER_PASS, containerIfindex, "pass-" + id);
            });
        }
        NetworkNamespace.run(lab.node, () -> datapath.attach(mode == Mode.XDP ? Entry.HOST_XDP : Entry.HOST_TC,
                hostIfindex, "host-" + id));
    }

    static ServerSocket listen(String namespace, String ip, int port) {
        return NetworkNamespace.call(namespace, () -> {
            try {
                return new ServerSocket(port, 4, InetAddress.getByName(ip));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Accepts one connection, counts the bytes until the client shuts its side, answers the count. */
    static Thread countOnce(ServerSocket server) {
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                long count = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
                new DataOutputStream(socket.getOutputStream()).writeLong(count);
            } catch (IOException e) {
                // the client's assertion on the count reports it
            }
        }, "count");
        thread.start();
        return thread;
    }

    /**
     * Sends {@code bytes} bytes in large writes (segmentation offload in tc mode) and returns the server's count;
     * a transfer that stalls (segments dropped) fails after 30 s instead of hanging in a blocked write.
     */
    static long send(Container client, String ip, int port, int bytes) throws Exception {
        Socket socket = NetworkNamespace.call(client.namespace(), () -> {
            Socket connected = new Socket();
            try {
                connected.connect(new InetSocketAddress(ip, port), 5000);
                return connected;
            } catch (IOException e) {
                throw new UncheckedIOException("connecting to " + ip + ":" + port, e);
            }
        });
        try (socket) {
            CompletableFuture<Long> count = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] chunk = new byte[256 * 1024];
                    for (int sent = 0; sent < bytes; sent += chunk.length) {
                        socket.getOutputStream().write(chunk, 0, Math.min(chunk.length, bytes - sent));
                    }
                    socket.shutdownOutput();
                    return new DataInputStream(socket.getInputStream()).readLong();
                } catch (IOException e) {
                    throw new UncheckedIOException("sending to " + ip + ":" + port, e);
                }
            });
            return count.get(30, TimeUnit.SECONDS);
        }
    }

    static boolean connects(Container client, String ip, int port) {
        return NetworkNamespace.call(client.namespace(), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(ip, port), 1500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
