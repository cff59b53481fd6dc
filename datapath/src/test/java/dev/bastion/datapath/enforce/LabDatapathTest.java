package dev.bastion.datapath.enforce;

import static dev.bastion.datapath.enforce.LabTraffic.connects;
import static dev.bastion.datapath.enforce.LabTraffic.countOnce;
import static dev.bastion.datapath.enforce.LabTraffic.listen;
import static dev.bastion.datapath.enforce.LabTraffic.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.datapath.bpf.BpfLink;
import dev.bastion.datapath.enforce.BridgeLab.Container;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.maps.ServiceMap.Backend;
import dev.bastion.datapath.maps.ServiceMap.ServiceAddress;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.VethLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    static final int UDP_PORT = 7000;
    static final int DATAGRAMS = 3000;
    static final int IPERF_PORT = 5201;
    static final int IPERF_SECONDS = 4;
    /** Below what the lab carries in either mode, so the flow itself never overruns a queue. */
    static final String IPERF_RATE = "2G";
    static final int RETRANSMIT_NOISE = 10;
    static final Logger LOG = LoggerFactory.getLogger(LabDatapathTest.class);
    static final ObjectMapper JSON = new ObjectMapper();

    final BridgeLab lab = new BridgeLab(0);
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

    Container client;
    Container server;

    /** Client and server protected in {@code mode}; the client may open the server's TCP port 8080. */
    void wire(LabMode mode) {
        client = lab.add(2);
        server = lab.add(3);
        lab.protect(datapath, client, CLIENT_ID, mode);
        lab.protect(datapath, server, SERVER_ID, mode);
        int clientIp = Addresses.ip(client.ip());
        int serverIp = Addresses.ip(server.ip());
        int gatewayIp = Addresses.ip(lab.gateway);
        long gatewayMac = Addresses.mac(lab.gatewayMac);
        datapath.forwarding().putAll(Map.of(
                clientIp, Forward.local(lab.hostIfindex(client), CLIENT_ID, client.mac()),
                serverIp, Forward.local(lab.hostIfindex(server), SERVER_ID, server.mac()),
                gatewayIp, Forward.host(gatewayMac)));
        datapath.gateways().denyAll(CLIENT_ID, List.of(gatewayIp), List.of(gatewayMac));
        datapath.gateways().denyAll(SERVER_ID, List.of(gatewayIp), List.of(gatewayMac));
        datapath.services().put(new ServiceAddress(Addresses.ip(SERVICE_IP), SERVICE_PORT, IpProtocol.TCP),
                List.of(new Backend(serverIp, ALLOWED)));
        allow(List.of(new PortRange(IpProtocol.TCP, ALLOWED, ALLOWED, Direction.EGRESS)));
    }

    /** Sets what the client may open on the server (egress ranges) and the server's matching reply ranges. */
    void allow(List<PortRange> egress) {
        datapath.peers().put(CLIENT_ID, Addresses.ip(server.ip()), egress);
        datapath.peers().put(SERVER_ID, Addresses.ip(client.ip()), egress.stream()
                .map(range -> new PortRange(range.protocol(), range.from(), range.to(), Direction.INGRESS)).toList());
    }

    @ParameterizedTest
    @EnumSource(LabMode.class)
    void allowedPortConnectsAndOthersDoNot(LabMode mode) throws Exception {
        wire(mode);

        try (ServerSocket allowed = listen(server.namespace(), server.ip(), ALLOWED);
                ServerSocket denied = listen(server.namespace(), server.ip(), DENIED);
                ServerSocket gateway = listen(lab.node, lab.gateway, GATEWAY_PORT)) {
            Thread counter = countOnce(allowed);
            assertEquals(BULK, send(client, server.ip(), ALLOWED, BULK));
            counter.join(5000);
            counter = countOnce(allowed);
            assertEquals(BULK, send(client, SERVICE_IP, SERVICE_PORT, BULK));
            counter.join(5000);

            assertFalse(connects(client, server.ip(), DENIED), "port " + DENIED + " is not in the policy");
            assertFalse(connects(client, lab.gateway, GATEWAY_PORT), "the gateway is denied");
        }
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.FORWARD_LOCAL).packets() > 0);
        assertTrue(datapath.counters().read(SERVER_ID, Reason.FORWARD_LOCAL).packets() > 0);
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.PORT_DENIED).packets() > 0);
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.GATEWAY).packets() > 0);
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.ARP_REPLIED).packets() > 0,
                "the client learnt the server's MAC from the datapath");
    }

    @ParameterizedTest
    @EnumSource(LabMode.class)
    void arpScanFindsOnlyTheDependencyAndTheGateway(LabMode mode) {
        wire(mode);
        Container stranger = lab.add(4);
        lab.protect(datapath, stranger, 3, mode);
        datapath.forwarding().put(Addresses.ip(stranger.ip()), Forward.local(lab.hostIfindex(stranger), 3,
                stranger.mac()));

        assertTrue(answersArp(client, server.ip()), "the dependency answers");
        assertTrue(answersArp(client, lab.gateway), "the gateway answers");
        assertFalse(answersArp(client, stranger.ip()), "a container without dependency stays unknown");
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.ARP_DENIED).packets() > 0);
    }

    @ParameterizedTest
    @EnumSource(LabMode.class)
    void egressGuardDropsFramesInjectedThroughTheBridge(LabMode mode) throws Exception {
        wire(mode);
        byte[] forged = Frame.ipv4(client.mac(), server.mac(), Addresses.ip(client.ip()), Addresses.ip(server.ip()))
                .udp(UDP_PORT, UDP_PORT).build();

        try (DatagramSocket receiver = NetworkNamespace.call(server.namespace(), () -> bind(server.ip(), UDP_PORT))) {
            receiver.setSoTimeout(2000);
            injectFromNode(forged);
            assertTrue(receivesOne(receiver), "without the guard, the node's forged datagram reaches the server");

            lab.guard(datapath, client, CLIENT_ID);
            lab.guard(datapath, server, SERVER_ID);
            injectFromNode(forged);
            assertFalse(receivesOne(receiver), "the egress guard drops the forged datagram");
        }
        assertTrue(datapath.counters().read(SERVER_ID, Reason.HOST_INJECTED).packets() > 0);

        try (ServerSocket allowed = listen(server.namespace(), server.ip(), ALLOWED)) {
            Thread counter = countOnce(allowed);
            assertEquals(BULK, send(client, server.ip(), ALLOWED, BULK), "allowed TCP never crosses the guard");
            counter.join(5000);
        }
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.ARP_REPLIED).packets() > 0,
                "the ARP reply reaches the client past the guard");
    }

    @ParameterizedTest
    @EnumSource(LabMode.class)
    void egressGuardLetsTheHostReachOnlyAContainerWhoseGatewayIsOpen(LabMode mode) throws Exception {
        wire(mode);
        lab.guard(datapath, server, SERVER_ID);
        // The host cannot resolve a guarded container by ARP: a permanent neighbour entry stands in for it.
        VethLab.ip("-n", lab.node, "neigh", "replace", server.ip(), "lladdr", Addresses.macText(server.mac()), "dev",
                lab.bridge, "nud", "permanent");

        try (DatagramSocket receiver = NetworkNamespace.call(server.namespace(), () -> bind(server.ip(), UDP_PORT))) {
            receiver.setSoTimeout(2000);
            NetworkNamespace.run(lab.node, () -> sendNumbered(server.ip(), UDP_PORT, 1));
            assertFalse(receivesOne(receiver), "the server's gateway is denied: the host's datagram is dropped");

            assertTrue(datapath.gateways().allowIp(SERVER_ID, Addresses.ip(lab.gateway)));
            NetworkNamespace.run(lab.node, () -> sendNumbered(server.ip(), UDP_PORT, 1));
            assertTrue(receivesOne(receiver), "the server's gateway is open: the host's datagram arrives");
        }
        assertTrue(datapath.counters().read(SERVER_ID, Reason.HOST_INJECTED).packets() > 0);
    }

    /** Writes {@code frame} onto the bridge from the node namespace, as a host-network container could. */
    void injectFromNode(byte[] frame) {
        VethLab.ip("netns", "exec", lab.node, "/usr/bin/python3", "-c", "import socket, sys\n"
                + "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n"
                + "s.bind((sys.argv[1], 0))\n"
                + "s.send(bytes.fromhex(sys.argv[2]))", lab.bridge, HexFormat.of().formatHex(frame));
    }

    static boolean receivesOne(DatagramSocket socket) throws IOException {
        try {
            socket.receive(new DatagramPacket(new byte[64], 64));
            return true;
        } catch (SocketTimeoutException timeout) {
            return false;
        }
    }

    /** Whether {@code ip} answers arping from the container (the arping tool of scripts/bootstrap). */
    static boolean answersArp(Container from, String ip) {
        try {
            VethLab.ip("netns", "exec", from.namespace(), "arping", "-q", "-c", "2", "-i", "eth0", ip);
            return true;
        } catch (IllegalStateException noAnswer) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(LabMode.class)
    void replacingProgramsAndUpdatingPoliciesDuringAFlowLosesNoPacket(LabMode mode) throws Exception {
        wire(mode);
        PortRange udp = new PortRange(IpProtocol.UDP, UDP_PORT, UDP_PORT, Direction.EGRESS);
        allow(List.of(udp));
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        try (DatagramSocket receiver = NetworkNamespace.call(server.namespace(), () -> bind(server.ip(), UDP_PORT))) {
            receiver.setReceiveBufferSize(4 << 20);
            Thread receiving = new Thread(() -> receive(receiver, received), "receiver");
            receiving.start();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> NetworkNamespace.run(client.namespace(),
                    () -> sendNumbered(server.ip(), UDP_PORT, DATAGRAMS)));

            awaitReceived(received, DATAGRAMS / 3);
            try (Datapath upgraded = Datapath.open(datapath.pins())) {
                replacePrograms(upgraded, mode);
            }
            awaitReceived(received, 2 * DATAGRAMS / 3);
            allow(List.of(new PortRange(IpProtocol.TCP, ALLOWED, ALLOWED, Direction.EGRESS), udp));

            sending.get(60, TimeUnit.SECONDS);
            awaitReceived(received, DATAGRAMS);
            receiver.close();
            receiving.join(5000);
        }
        assertEquals(DATAGRAMS, received.size(), "datagrams lost while programs and policies changed");
    }

    @ParameterizedTest
    @EnumSource(LabMode.class)
    void replacingProgramsAndUpdatingPoliciesDuringAnIperf3FlowLosesNoPacket(LabMode mode) throws Exception {
        wire(mode);
        PortRange iperf = new PortRange(IpProtocol.TCP, IPERF_PORT, IPERF_PORT, Direction.EGRESS);
        PortRange web = new PortRange(IpProtocol.TCP, ALLOWED, ALLOWED, Direction.EGRESS);
        PortRange udp = new PortRange(IpProtocol.UDP, UDP_PORT, UDP_PORT, Direction.EGRESS);
        allow(List.of(iperf));
        Iperf3Flow.Report undisturbed;
        try (Iperf3Flow flow = Iperf3Flow.start(client, server, IPERF_PORT, IPERF_SECONDS, IPERF_RATE)) {
            undisturbed = flow.report();
        }
        long droppedBefore = dropped();
        long interfaceDropsBefore = interfaceDrops();
        Iperf3Flow.Report disturbed;
        // The upgrade's object is loaded (verified, JIT-compiled) before the flow starts: on this VM, loading BPF
        // programs now and then stalls the CPUs long enough for a veth's 256-frame XDP ring to overflow (about one
        // load in 20 during a 2 Gbit/s flow, 70-120 frames, XDP mode only). Replacing the programs loses nothing.
        try (Datapath upgraded = Datapath.open(datapath.pins());
                Iperf3Flow flow = Iperf3Flow.start(client, server, IPERF_PORT, IPERF_SECONDS, IPERF_RATE)) {
            awaitForwarded(1000);
            replacePrograms(upgraded, mode);
            // Each update rewrites both containers' entries; every one keeps the iperf3 port open.
            List<List<PortRange>> policies = List.of(List.of(iperf, web), List.of(web, iperf), List.of(udp, iperf),
                    List.of(iperf));
            for (int update = 0; update < 3 * policies.size(); update++) {
                allow(policies.get(update % policies.size()));
                Thread.sleep(100);
            }
            assertTrue(flow.running(), "the programs and policies changed while the flow ran");
            disturbed = flow.report();
        }
        LOG.info("iperf3 in {} mode: undisturbed {}, while changing {}", mode, undisturbed, disturbed);

        assertEquals("", disturbed.error(), "iperf3 failed");
        assertTrue(disturbed.seconds() >= IPERF_SECONDS, "the flow ran " + disturbed.seconds() + " s");
        // iperf3 3.12's server stops counting and closes its socket when the client's end-of-test message arrives:
        // what the socket buffers still held is never counted. Usually nothing or a few 128 KiB blocks; 11 MB once,
        // when the shared machine slowed the sender and it caught up in full-speed bursts. So "equal" would be
        // flaky; the uncounted rest is bounded by what the client's and the server's socket buffers can hold.
        long uncounted = disturbed.sent() - disturbed.received();
        assertTrue(uncounted >= 0 && uncounted <= Iperf3Flow.socketBuffersAtMost(client, server),
                disturbed.received() + " bytes received of " + disturbed.sent() + " sent");
        assertEquals(0, dropped() - droppedBefore, "packets the datapath dropped during the flow");
        assertEquals(0, interfaceDrops() - interfaceDropsBefore, "packets the four veth ends dropped during the flow");
        // A trailing stub of an interval (the last milliseconds) may legitimately be empty.
        List<Iperf3Flow.Interval> stalled = disturbed.receivedIntervals().stream()
                .filter(interval -> interval.seconds() >= Iperf3Flow.INTERVAL_SECONDS / 2 && interval.bytes() == 0)
                .toList();
        assertEquals(List.of(), stalled, "intervals in which the server received nothing");
        // Even pinned and paced, a flow on this shared 2-core machine shows a few retransmits now and then (0 to 5
        // undisturbed, 0 to 6 while changing, in both modes, scattered over the run), so "0" would be flaky and
        // "no more than undisturbed" too. A loss the changes cause is bigger: a drop window of a millisecond at
        // 2 Gbit/s loses about 170 segments, and single packets the programs drop are counted exactly above.
        assertTrue(disturbed.retransmits() <= undisturbed.retransmits() + RETRANSMIT_NOISE,
                disturbed.retransmits() + " retransmits while changing, " + undisturbed.retransmits() + " undisturbed");
    }

    /** Packets the programs of client and server dropped so far, but for IPv6 (the namespaces' own solicitations). */
    long dropped() {
        long packets = 0;
        for (int id : List.of(CLIENT_ID, SERVER_ID)) {
            for (Reason reason : Reason.values()) {
                if (reason.dropped() && reason != Reason.IPV6) {
                    packets += datapath.counters().read(id, reason).packets();
                }
            }
        }
        return packets;
    }

    /** Waits until {@code packets} more packets left the client through the datapath: the flow is under way. */
    void awaitForwarded(long packets) throws InterruptedException {
        long target = datapath.counters().read(CLIENT_ID, Reason.FORWARD_LOCAL).packets() + packets;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (datapath.counters().read(CLIENT_ID, Reason.FORWARD_LOCAL).packets() < target
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** Replaces the attached programs of client and server atomically with those of {@code upgraded}. */
    void replacePrograms(Datapath upgraded, LabMode mode) {
        lab.protect(upgraded, client, CLIENT_ID, mode);
        lab.protect(upgraded, server, SERVER_ID, mode);
        try (BpfLink link = BpfLink.openPinned(datapath.pins().resolve("links").resolve("host-" + CLIENT_ID))) {
            assertEquals(upgraded.program(mode.host).id(), link.info().programId(), "the new program runs");
        }
    }

    /**
     * What the kernel dropped on the veths of client and server, both ends, both directions: a full XDP ring of
     * the receiving end counts here (as the sender's TX drops), not in the datapath's counters.
     */
    long interfaceDrops() {
        return linkDrops(lab.node, client.hostVeth()) + linkDrops(lab.node, server.hostVeth())
                + linkDrops(client.namespace(), "eth0") + linkDrops(server.namespace(), "eth0");
    }

    static long linkDrops(String namespace, String link) {
        try {
            JsonNode stats = JSON.readTree(VethLab.execIn(namespace, "ip", "-s", "-j", "link", "show", "dev", link))
                    .path(0).path("stats64");
            return stats.path("rx").path("dropped").asLong() + stats.path("tx").path("dropped").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the statistics of " + link + " in " + namespace, e);
        }
    }

    static DatagramSocket bind(String ip, int port) {
        try {
            return new DatagramSocket(new InetSocketAddress(ip, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void receive(DatagramSocket socket, Set<Integer> received) {
        DatagramPacket packet = new DatagramPacket(new byte[64], 64);
        try {
            while (true) {
                socket.receive(packet);
                received.add(ByteBuffer.wrap(packet.getData(), 0, 4).getInt());
            }
        } catch (IOException closed) {
            // the test closed the socket: done
        }
    }

    /** Sends datagrams numbered 0..count-1, about two per millisecond: slow enough for no buffer to overflow. */
    static void sendNumbered(String ip, int port, int count) {
        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress target = new InetSocketAddress(ip, port);
            for (int i = 0; i < count; i++) {
                socket.send(new DatagramPacket(ByteBuffer.allocate(4).putInt(i).array(), 4, target));
                if (i % 2 == 1) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void awaitReceived(Set<Integer> received, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
