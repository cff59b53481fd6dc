package dev.bastion.bench.bridge;

import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.bridge.BridgeContainer;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.Chain;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainSet;
import dev.bastion.chain.engine.FailureMode;
import dev.bastion.chain.engine.FlowPolicy;
import dev.bastion.chain.engine.InspectionDepth;
import dev.bastion.chain.engine.Ticker;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.EndpointMap.Endpoint;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.SteeringMap.SteeringRule;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark's wiring: a "node" namespace holding the host ends of two veths, one to a traffic source
 * namespace and one to a sink namespace. The source is a protected container whose UDP flow to the sink is
 * steered by the real {@code bastion_xdp} into {@code xsks[SOURCE_ID]}; whichever forwarder owns that entry
 * carries the flow to the sink's veth. {@link #protectForTcp} adds what a TCP flow between the two needs.
 * Everything is deleted on close.
 */
final class BridgeBenchLab implements AutoCloseable {
    static final int SOURCE_ID = 1;
    static final int SINK_ID = 2;
    static final String SOURCE_IP = "10.79.0.2";
    static final String SINK_IP = "10.79.0.3";
    static final String SOURCE_MAC = "02:79:00:00:00:02";
    static final String SINK_MAC = "02:79:00:00:00:03";
    static final int PORT = 9;
    static final int TCP_PORT = 5201;

    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String node = "bbnode-" + suffix;
    final String source = "bbsrc-" + suffix;
    final String sink = "bbsink-" + suffix;
    final String sourceHostVeth = "bbs" + suffix;
    final String sinkHostVeth = "bbk" + suffix;
    final int sourceHostIfindex;
    final int sinkHostIfindex;
    final Datapath datapath;
    private final List<String> namespaces = new ArrayList<>();

    BridgeBenchLab() {
        try {
            for (String namespace : List.of(node, source, sink)) {
                namespaces.add(namespace);
                run("ip", "netns", "add", namespace);
            }
            link(sourceHostVeth, source, SOURCE_MAC);
            link(sinkHostVeth, sink, SINK_MAC);
            sourceHostIfindex = NetworkNamespace.call(node, () -> Interfaces.index(sourceHostVeth));
            sinkHostIfindex = NetworkNamespace.call(node, () -> Interfaces.index(sinkHostVeth));
            datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("bench-bridge-" + suffix));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        int sourceIp = Addresses.ip(SOURCE_IP);
        int sinkIp = Addresses.ip(SINK_IP);
        datapath.endpoints().put(sourceHostIfindex, new Endpoint(SOURCE_ID, sourceIp, Addresses.mac(SOURCE_MAC), 0));
        datapath.peers().put(SOURCE_ID, sinkIp, List.of(new PortRange(IpProtocol.UDP, PORT, PORT,
                Direction.EGRESS)));
        datapath.steering().put(SOURCE_ID, sinkIp, List.of(new SteeringRule(IpProtocol.UDP, PORT, PORT, 1)));
        NetworkNamespace.run(node, () -> datapath.attach(Entry.HOST_XDP, sourceHostIfindex, "host-source"));
    }

    /**
     * Makes the sink a protected container too and gives both addresses, so that TCP runs between them: XDP
     * mode (container_pass, TX checksum offload off), forwarding entries, and the policy for TCP_PORT.
     */
    void protectForTcp() {
        int sourceIp = Addresses.ip(SOURCE_IP);
        int sinkIp = Addresses.ip(SINK_IP);
        for (String namespace : List.of(source, sink)) {
            run("ip", "-n", namespace, "addr", "add", (namespace.equals(source) ? SOURCE_IP : SINK_IP) + "/24",
                    "dev", "eth0");
            NetworkNamespace.run(namespace, () -> {
                Offload.TX_CHECKSUM.set("eth0", false);
                datapath.attach(Entry.CONTAINER_PASS, Interfaces.index("eth0"), "pass-" + namespace);
            });
        }
        datapath.endpoints().put(sinkHostIfindex, new Endpoint(SINK_ID, sinkIp, Addresses.mac(SINK_MAC), 0));
        datapath.forwarding().putAll(Map.of(
                sourceIp, Forward.local(sourceHostIfindex, SOURCE_ID, Addresses.mac(SOURCE_MAC)),
                sinkIp, Forward.local(sinkHostIfindex, SINK_ID, Addresses.mac(SINK_MAC))));
        datapath.peers().put(SOURCE_ID, sinkIp, List.of(new PortRange(IpProtocol.UDP, PORT, PORT,
                Direction.EGRESS), new PortRange(IpProtocol.TCP, TCP_PORT, TCP_PORT, Direction.EGRESS)));
        datapath.peers().put(SINK_ID, sourceIp, List.of(new PortRange(IpProtocol.TCP, TCP_PORT, TCP_PORT,
                Direction.INGRESS)));
        NetworkNamespace.run(node, () -> datapath.attach(Entry.HOST_XDP, sinkHostIfindex, "host-sink"));
    }

    /** Steers the TCP flow (both ends) into the bridge, or leaves it to the datapath's in-kernel redirect. */
    void steerTcp(boolean steered) {
        int sourceIp = Addresses.ip(SOURCE_IP);
        int sinkIp = Addresses.ip(SINK_IP);
        SteeringRule udp = new SteeringRule(IpProtocol.UDP, PORT, PORT, 1);
        SteeringRule tcp = new SteeringRule(IpProtocol.TCP, TCP_PORT, TCP_PORT, 2);
        if (steered) {
            datapath.steering().put(SOURCE_ID, sinkIp, List.of(udp, tcp));
            datapath.steering().put(SINK_ID, sourceIp, List.of(tcp));
        } else {
            datapath.steering().put(SOURCE_ID, sinkIp, List.of(udp));
            datapath.steering().remove(SINK_ID, sourceIp);
        }
    }

    /** A chain engine whose one chain, selected for every flow, has no function: what the bridge costs alone. */
    static ChainEngine emptyChainEngine() {
        ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD, Clock.systemUTC(),
                Ticker.SYSTEM);
        engine.install(new ChainSet(List.of(new Chain("empty", FailureMode.CLOSED, InspectionDepth.UNLIMITED,
                Duration.ofMillis(10), List.of())), (container, peer, protocol, port) -> "empty",
                FlowPolicy.ALLOW_ALL));
        return engine;
    }

    /** A started bridge through {@code engine} with a port for the source and one for the sink. */
    Bridge startBridge(ChainEngine engine) {
        Bridge bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT);
        NetworkNamespace.run(node, () -> {
            bridge.add(new BridgeContainer(SOURCE_ID, "source", sourceHostIfindex, Addresses.ip(SOURCE_IP),
                    Addresses.mac(SOURCE_MAC)));
            bridge.add(new BridgeContainer(SINK_ID, "sink", sinkHostIfindex, Addresses.ip(SINK_IP),
                    Addresses.mac(SINK_MAC)));
        });
        bridge.start();
        return bridge;
    }

    private void link(String hostVeth, String namespace, String mac) {
        run("ip", "-n", node, "link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "address", mac,
                "netns", namespace);
        run("ip", "-n", node, "link", "set", hostVeth, "up");
        run("ip", "-n", namespace, "link", "set", "eth0", "up");
    }

    /** Packets the sink's eth0 has received so far. */
    long sinkReceived() {
        return Long.parseLong(run("ip", "netns", "exec", sink, "cat", "/sys/class/net/eth0/statistics/rx_packets")
                .trim());
    }

    /** Packets the source's eth0 has sent so far (the offered load). */
    long sourceSent() {
        return Long.parseLong(run("ip", "netns", "exec", source, "cat",
                "/sys/class/net/eth0/statistics/tx_packets").trim());
    }

    static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (datapath != null) {
            datapath.remove();
            datapath.close();
        }
        for (String namespace : namespaces) {
            try {
                run("ip", "netns", "del", namespace);
            } catch (RuntimeException e) {
                // delete the others anyway
            }
        }
    }
}
