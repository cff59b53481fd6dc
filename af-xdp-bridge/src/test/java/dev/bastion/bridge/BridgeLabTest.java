package dev.bastion.bridge;

import static dev.bastion.bridge.BridgeCounters.Counter.EXTERNAL_RETURNED;
import static dev.bastion.bridge.BridgeCounters.Counter.EXTERNAL_SENT;
import static dev.bastion.bridge.BridgeCounters.Counter.NO_ROUTE;
import static dev.bastion.bridge.BridgeCounters.Counter.RX;
import static dev.bastion.bridge.Shell.ip;
import static dev.bastion.bridge.BridgeCounters.Counter.VERDICT_BYPASS_FLOW;
import static dev.bastion.bridge.BridgeCounters.Counter.VERDICT_DROP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.bridge.ContainerLab.Container;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.Chain;
import dev.bastion.chain.engine.Chain.NamedFunction;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainSet;
import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.FlowPolicy;
import dev.bastion.chain.engine.InspectionDepth;
import dev.bastion.chain.engine.Ticker;
import dev.bastion.chain.spi.ExternalInspection;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.EndpointMap.Endpoint;
import dev.bastion.datapath.maps.FlowKey;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.OverrideMap;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.maps.SteeringMap.SteeringRule;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Two containers on a bridge, protected by the datapath in XDP mode. The client may open the server's ports
 * 8080..8082: 8080 is steered to a chain whose function drops HTTP requests for /admin, 8082 to an empty chain
 * that hands the flow back to the kernel after a few packets, 8081 is not steered. Real TCP, real sockets.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds namespaces, attaches XDP")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeLabTest {
    static final int CLIENT_ID = 1;
    static final int SERVER_ID = 2;
    static final int HTTP = 8080;
    static final int UNSTEERED = 8081;
    static final int SHORT_INSPECTION = 8082;
    static final int BLOCKING = 8083;
    static final int EXTERNAL = 8084;
    static final String ENGINE_PORT = "ext0";
    static final int INSPECTED_PACKETS = 4;
    static final int ROUND_TRIPS = 20;
    static final int BLOCK_MARK = 66;

    ContainerLab lab;
    Datapath datapath;
    ChainEngine engine;
    Bridge bridge;
    Container client;
    Container server;
    ServerSocket http;
    ServerSocket unsteered;
    ServerSocket shortInspection;
    ServerSocket blockingServer;
    ServerSocket externalServer;
    ExternalPort enginePort;

    @BeforeAll
    void protectAndBridge() {
        lab = new ContainerLab();
        datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-bridge-" + UUID.randomUUID().toString()
                .substring(0, 8)));
        client = lab.add(2);
        server = lab.add(3);
        protect(client, CLIENT_ID);
        protect(server, SERVER_ID);
        datapath.forwarding().putAll(Map.of(
                client.ipValue(), Forward.local(client.hostIfindex(), CLIENT_ID, client.mac()),
                server.ipValue(), Forward.local(server.hostIfindex(), SERVER_ID, server.mac())));
        datapath.peers().put(CLIENT_ID, server.ipValue(), List.of(new PortRange(IpProtocol.TCP, HTTP,
                EXTERNAL, Direction.EGRESS)));
        datapath.peers().put(SERVER_ID, client.ipValue(), List.of(new PortRange(IpProtocol.TCP, HTTP,
                EXTERNAL, Direction.INGRESS)));
        // Rules name the server side's port: both ends of a flow are steered with the same rule.
        List<SteeringRule> rules = List.of(new SteeringRule(IpProtocol.TCP, HTTP, HTTP, HTTP),
                new SteeringRule(IpProtocol.TCP, SHORT_INSPECTION, SHORT_INSPECTION, SHORT_INSPECTION),
                new SteeringRule(IpProtocol.TCP, BLOCKING, BLOCKING, BLOCKING),
                new SteeringRule(IpProtocol.TCP, EXTERNAL, EXTERNAL, EXTERNAL));
        datapath.steering().put(CLIENT_ID, server.ipValue(), rules);
        datapath.steering().put(SERVER_ID, client.ipValue(), rules);

        engine = new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD, Clock.systemUTC(), Ticker.SYSTEM);
        Duration budget = Duration.ofMillis(100);
        Chain filter = new Chain("http", FailureMode.CLOSED, InspectionDepth.UNLIMITED, budget,
                List.of(new NamedFunction("admin-filter", new AdminPathFilter())));
        Chain firstPackets = new Chain("first-packets", FailureMode.CLOSED,
                InspectionDepth.packets(INSPECTED_PACKETS), budget, List.of());
        Chain blocking = new Chain("block-on-byte", FailureMode.CLOSED, InspectionDepth.UNLIMITED, budget,
                List.of(new NamedFunction("block", (packet, flow) -> packet.payloadLength() > 0
                        && packet.payloadByte(0) == BLOCK_MARK ? Verdict.BLOCK_FLOW : Verdict.PASS)));
        Chain external = new Chain("external", FailureMode.CLOSED, InspectionDepth.UNLIMITED, budget,
                List.of(new NamedFunction("engine", new ExternalEngine(ENGINE_PORT))));
        Map<Integer, String> chains = Map.of(HTTP, "http", SHORT_INSPECTION, "first-packets",
                BLOCKING, "block-on-byte", EXTERNAL, "external");
        engine.install(new ChainSet(List.of(filter, firstPackets, blocking, external),
                (container, peerIp, protocol, peerPort) -> chains.get(peerPort), FlowPolicy.ALLOW_ALL));
        bridge = Bridge.on(datapath, FrameInspector.of(engine), new Bridge.Settings(4096, 4096, 512, 64, 256));
        NetworkNamespace.run(lab.node, () -> {
            bridge.add(new BridgeContainer(CLIENT_ID, "client", client.hostIfindex(), client.ipValue(),
                    client.mac()));
            bridge.add(new BridgeContainer(SERVER_ID, "server", server.hostIfindex(), server.ipValue(),
                    server.mac()));
        });
        enginePort = wireEngine(ENGINE_PORT, 0);
        NetworkNamespace.run(lab.node, () -> bridge.addExternal(enginePort));
        bridge.start();

        http = listen(HTTP);
        unsteered = listen(UNSTEERED);
        shortInspection = listen(SHORT_INSPECTION);
        blockingServer = listen(BLOCKING);
        externalServer = listen(EXTERNAL);
        Servers.http(http);
        Servers.echo(unsteered);
        Servers.echo(shortInspection);
        Servers.echo(blockingServer);
        Servers.echo(externalServer);
    }

    @AfterAll
    void tearDown() throws IOException {
        try {
            for (ServerSocket socket : new ServerSocket[] {http, unsteered, shortInspection, blockingServer, externalServer}) {
                if (socket != null) {
                    socket.close();
                }
            }
            if (bridge != null) {
                bridge.close();
            }
            if (engine != null) {
                engine.close();
            }
            datapath.remove();
            datapath.close();
        } finally {
            lab.close();
        }
    }

    @Test
    void allowedRequestsCrossTheBridgeInBothDirectionsAndAdminRequestsGetNoAnswer() {
        long steeredClient = datapath.counters().read(CLIENT_ID, Reason.STEERED).packets();
        long steeredServer = datapath.counters().read(SERVER_ID, Reason.STEERED).packets();
        long drops = bridge.counters().get(VERDICT_DROP);

        assertTrue(get("/").startsWith("HTTP/1.0 200 OK"), "GET / is answered");
        assertTrue(get("/index.html").endsWith("hello /index.html"));
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.STEERED).packets() > steeredClient,
                "the requests went through the bridge");
        assertTrue(datapath.counters().read(SERVER_ID, Reason.STEERED).packets() > steeredServer,
                "the answers went through the bridge");

        assertThrows(SocketTimeoutException.class, () -> getOrTimeout("/admin/users"), "GET /admin is dropped");
        assertTrue(bridge.counters().get(VERDICT_DROP) > drops, "the chain dropped the request");
        assertTrue(get("/").startsWith("HTTP/1.0 200 OK"), "other requests still pass");
    }

    @Test
    void aFlowNoChainSelectsNeverReachesUserSpace() throws InterruptedException {
        long received = settledRx();
        try (Socket socket = connect(UNSTEERED)) {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                assertEquals(i, roundTrip(socket, i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(received, bridge.counters().get(RX), "no frame of the unsteered flow came up");
    }

    @Test
    void bypassLeavesTheRestOfTheFlowInTheKernel() {
        long received = bridge.counters().get(RX);
        long bypasses = bridge.counters().get(VERDICT_BYPASS_FLOW);
        FlowKey flow;
        try (Socket socket = connect(SHORT_INSPECTION)) {
            flow = new FlowKey(client.ipValue(), server.ipValue(), socket.getLocalPort(), SHORT_INSPECTION, 6);
            for (int i = 0; i < ROUND_TRIPS; i++) {
                assertEquals(i, roundTrip(socket, i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long seen = bridge.counters().get(RX) - received;
        assertEquals(bypasses + 1, bridge.counters().get(VERDICT_BYPASS_FLOW));
        assertEquals(OverrideMap.Action.BYPASS, datapath.overrides().get(flow).orElseThrow());
        assertEquals(OverrideMap.Action.BYPASS, datapath.overrides().get(flow.reversed()).orElseThrow());
        assertTrue(seen >= INSPECTED_PACKETS && seen <= INSPECTED_PACKETS + 2,
                "the bridge saw the first " + INSPECTED_PACKETS + " packets only, not " + seen + " of "
                        + (4 * ROUND_TRIPS) + "+");
    }

    @Test
    void blockDropsTheRestOfTheFlowInTheKernel() throws IOException {
        long blockedInKernel = datapath.counters().read(CLIENT_ID, Reason.OVERRIDE_BLOCK).packets();
        try (Socket socket = connect(BLOCKING)) {
            FlowKey flow = new FlowKey(client.ipValue(), server.ipValue(), socket.getLocalPort(), BLOCKING, 6);
            assertEquals(1, roundTrip(socket, 1), "the flow works until the chain blocks it");
            socket.setSoTimeout(1500);
            assertThrows(SocketTimeoutException.class, () -> roundTrip(socket, BLOCK_MARK));
            assertEquals(OverrideMap.Action.BLOCK, datapath.overrides().get(flow).orElseThrow());
            assertEquals(OverrideMap.Action.BLOCK, datapath.overrides().get(flow.reversed()).orElseThrow());
            socket.getOutputStream().write(2);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(), "still blocked");
        }
        assertTrue(datapath.counters().read(CLIENT_ID, Reason.OVERRIDE_BLOCK).packets() > blockedInKernel,
                "the retransmissions were dropped in XDP, not in the bridge");
    }

    @Test
    void aRemovedPortStopsItsFlowsAndComesBack() {
        long noSocket = datapath.counters().read(CLIENT_ID, Reason.NO_SOCKET).packets();
        assertTrue(bridge.remove(CLIENT_ID));
        try {
            long received = bridge.counters().get(RX);
            assertFalse(connects(HTTP), "the client's SYN has no socket to go to: a steered flow never skips "
                    + "its chain");
            assertTrue(datapath.counters().read(CLIENT_ID, Reason.NO_SOCKET).packets() > noSocket);
            assertEquals(received, bridge.counters().get(RX));
        } finally {
            NetworkNamespace.run(lab.node, () -> bridge.add(new BridgeContainer(CLIENT_ID, "client",
                    client.hostIfindex(), client.ipValue(), client.mac())));
        }
        assertTrue(get("/again").endsWith("hello /again"), "requests pass again once the port is back");
    }

    @Test
    void aChainsExternalEngineSeesBothDirectionsAndWhatItDropsNeverArrives() throws IOException {
        long sent = bridge.counters().get(EXTERNAL_SENT);
        long returned = bridge.counters().get(EXTERNAL_RETURNED);
        try (Socket socket = connect(EXTERNAL)) {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                assertEquals(i, roundTrip(socket, i));
            }
            assertTrue(bridge.counters().get(EXTERNAL_SENT) - sent >= 2 * ROUND_TRIPS,
                    "requests and replies went to the engine");
            assertTrue(bridge.counters().get(EXTERNAL_RETURNED) - returned >= 2 * ROUND_TRIPS,
                    "and came back from it");
            // The engine stops forwarding: nothing it does not hand back reaches the other side.
            ip("-n", lab.node, "link", "set", ENGINE_PORT + "b", "nomaster");
            try {
                socket.setSoTimeout(1000);
                assertThrows(SocketTimeoutException.class, () -> roundTrip(socket, 1));
            } finally {
                ip("-n", lab.node, "link", "set", ENGINE_PORT + "b", "master", ENGINE_PORT + "br");
            }
            socket.setSoTimeout(5000);
            assertEquals(1, socket.getInputStream().read(), "the retransmitted byte's echo arrives once it is back");
        }
    }

    @Test
    void withoutItsExternalPortAChainsFlowsAreDroppedNotForwardedUninspected() throws IOException {
        assertTrue(NetworkNamespace.call(lab.node, () -> bridge.removeExternal(ENGINE_PORT)));
        try {
            long noRoute = bridge.counters().get(NO_ROUTE);
            assertFalse(connects(EXTERNAL), "the SYN has no engine to go through");
            assertTrue(bridge.counters().get(NO_ROUTE) > noRoute);
        } finally {
            NetworkNamespace.run(lab.node, () -> bridge.addExternal(enginePort));
        }
        try (Socket socket = connect(EXTERNAL)) {
            assertEquals(7, roundTrip(socket, 7), "the flow works again once the port is back");
        }
    }

    /**
     * An inline engine that forwards everything: a Linux bridge between the inner ends of the port's two veth
     * pairs ({@code <name>o}-{@code <name>a}, {@code <name>b}-{@code <name>r}), with dpi_return on {@code <name>r}.
     * It must not learn addresses (both directions of a flow enter it on the same port, as they enter Suricata),
     * and the host's IPv6 chatter stays off its wires.
     */
    ExternalPort wireEngine(String name, int slot) {
        ip("-n", lab.node, "link", "add", name + "o", "type", "veth", "peer", "name", name + "a");
        ip("-n", lab.node, "link", "add", name + "b", "type", "veth", "peer", "name", name + "r");
        ip("-n", lab.node, "link", "add", name + "br", "type", "bridge", "ageing_time", "0");
        for (String end : List.of(name + "a", name + "b")) {
            ip("-n", lab.node, "link", "set", end, "master", name + "br");
        }
        for (String end : List.of(name + "o", name + "a", name + "b", name + "r", name + "br")) {
            Shell.run(List.of("ip", "netns", "exec", lab.node, "sysctl", "-qw", "net.ipv6.conf." + end + ".disable_ipv6=1"));
            ip("-n", lab.node, "link", "set", end, "up");
        }
        return NetworkNamespace.call(lab.node, () -> {
            datapath.attach(Entry.DPI_RETURN, Interfaces.index(name + "r"), "dpi-" + name);
            return new ExternalPort(name, slot, Interfaces.index(name + "o"), Interfaces.index(name + "r"));
        });
    }

    /** A chain's last function that hands every packet to the external engine on {@code port}. */
    record ExternalEngine(String port) implements SecurityFunction, ExternalInspection {
        @Override
        public Verdict inspect(PacketView packet, FlowContext flow) {
            return Verdict.PASS;
        }
    }

    void protect(Container container, int id) {
        int hostIfindex = container.hostIfindex();
        datapath.endpoints().put(hostIfindex, new Endpoint(id, container.ipValue(), container.mac(),
                Addresses.ip(ContainerLab.GATEWAY)));
        int containerIfindex = container.ifindex();
        NetworkNamespace.run(container.namespace(), () -> {
            Offload.TX_CHECKSUM.set("eth0", false);
            datapath.attach(Entry.CONTAINER_PASS, containerIfindex, "pass-" + id);
        });
        NetworkNamespace.run(lab.node, () -> datapath.attach(Entry.HOST_XDP, hostIfindex, "host-" + id));
    }

    ServerSocket listen(int port) {
        return NetworkNamespace.call(server.namespace(), () -> {
            try {
                return new ServerSocket(port, 8, InetAddress.getByName(server.ip()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    Socket connect(int port) {
        return NetworkNamespace.call(client.namespace(), () -> {
            Socket socket = new Socket();
            try {
                socket.setSoTimeout(3000);
                socket.connect(new InetSocketAddress(server.ip(), port), 3000);
                return socket;
            } catch (IOException e) {
                throw new UncheckedIOException("connect to " + server.ip() + ":" + port, e);
            }
        });
    }

    boolean connects(int port) {
        return NetworkNamespace.call(client.namespace(), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.ip(), port), 1500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    static int roundTrip(Socket socket, int value) throws IOException {
        socket.getOutputStream().write(value);
        return socket.getInputStream().read();
    }

    String get(String path) {
        try {
            return getOrTimeout(path);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        }
    }

    String getOrTimeout(String path) throws IOException {
        try (Socket socket = connect(HTTP)) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: server\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * The bridge's RX count once it stopped moving: the steered connections of earlier tests may still be closing
     * (their last FIN and ACK go through the bridge), which is not the traffic under test.
     */
    private long settledRx() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = bridge.counters().get(RX);
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            long now = bridge.counters().get(RX);
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the bridge kept receiving frames with no traffic under way");
    }
}
