package dev.bastion.functions.support;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.FrameView;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.policies.model.Ipv4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TCP or UDP conversation between a client and a server, turned into frames with consistent sequence and
 * acknowledgement numbers and fed to a function as the engine would (one flow context, direction set,
 * timestamps advancing). Tests state what the two ends send; the frames come out right.
 */
public final class Conversation {
    private final boolean tcp;
    private final String client;
    private final int clientPort;
    private final String server;
    private final int serverPort;
    private final Delivery delivery;
    private final TestFlow flow;
    private final FrameView view = new FrameView();
    private long clientSeq = 1_000_000L;
    private long serverSeq = 4_000_000_000L; // wraps past 2^32 during longer tests
    private long nowNanos = 1_000_000_000L;
    private int window = 65535;

    /** Where frames go: one function directly, or a whole engine. */
    @FunctionalInterface
    public interface Delivery {
        Verdict deliver(Direction direction, byte[] frame, long timestampNanos);
    }

    private Conversation(boolean tcp, String client, int clientPort, String server, int serverPort,
                         SecurityFunction function, Delivery delivery) {
        this.tcp = tcp;
        this.client = client;
        this.clientPort = clientPort;
        this.server = server;
        this.serverPort = serverPort;
        this.flow = new TestFlow(new FlowKey("client", Ipv4Address.parse(client).bits(),
                Ipv4Address.parse(server).bits(), tcp ? 6 : 17, clientPort, serverPort));
        this.delivery = delivery != null ? delivery : (direction, frame, timestamp) -> {
            FrameView packet = view.wrap(java.nio.ByteBuffer.wrap(frame), 0, frame.length, timestamp);
            packet.direction(direction);
            flow.count(direction, frame.length);
            return function.inspect(packet, flow);
        };
    }

    private Conversation(boolean tcp, String client, int clientPort, String server, int serverPort, SecurityFunction function) {
        this(tcp, client, clientPort, server, serverPort, function, null);
    }

    /** A TCP conversation whose frames go to {@code delivery} (an engine) instead of one function. */
    public static Conversation tcp(Delivery delivery, String client, int clientPort, String server, int serverPort) {
        return new Conversation(true, client, clientPort, server, serverPort, null, delivery);
    }

    public static Conversation tcp(SecurityFunction function, int serverPort) {
        return tcp(function, "10.1.0.2", 40000, serverPort);
    }

    public static Conversation tcp(SecurityFunction function, String client, int clientPort, int serverPort) {
        return new Conversation(true, client, clientPort, "10.1.0.3", serverPort, function);
    }

    public static Conversation udp(SecurityFunction function, int serverPort) {
        return new Conversation(false, "10.1.0.2", 40000, "10.1.0.3", serverPort, function);
    }

    /** The flow context the function saw (direct delivery only). */
    public TestFlow flow() {
        return flow;
    }

    public Conversation window(int window) {
        this.window = window;
        return this;
    }

    /** SYN, SYN-ACK, ACK; returns the three verdicts. */
    public List<Verdict> handshake() {
        List<Verdict> out = new ArrayList<>();
        out.add(send(Direction.ORIGINAL, segment(Direction.ORIGINAL, PacketView.TCP_SYN, new byte[0])));
        clientSeq++;
        out.add(send(Direction.REPLY, segment(Direction.REPLY, PacketView.TCP_SYN | PacketView.TCP_ACK, new byte[0])));
        serverSeq++;
        out.add(send(Direction.ORIGINAL, segment(Direction.ORIGINAL, PacketView.TCP_ACK, new byte[0])));
        return out;
    }

    /** The client sends {@code data} in one segment (or datagram). */
    public Verdict client(byte[] data) {
        return data(Direction.ORIGINAL, data);
    }

    public Verdict server(byte[] data) {
        return data(Direction.REPLY, data);
    }

    /** The client sends {@code data} cut into segments of at most {@code size} bytes; one verdict each. */
    public List<Verdict> client(byte[] data, int size) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < data.length; i += size) {
            out.add(client(Arrays.copyOfRange(data, i, Math.min(data.length, i + size))));
        }
        return out;
    }

    private Verdict data(Direction direction, byte[] data) {
        Verdict v = send(direction, segment(direction, PacketView.TCP_ACK | PacketView.TCP_PSH, data));
        if (direction == Direction.ORIGINAL) {
            clientSeq += data.length;
        } else {
            serverSeq += data.length;
        }
        return v;
    }

    /** The frame the client would send next with {@code data}, not delivered; the client's sequence moves on. */
    public byte[] nextClientFrame(byte[] data) {
        byte[] frame = segment(Direction.ORIGINAL, PacketView.TCP_ACK | PacketView.TCP_PSH, data).build();
        clientSeq += data.length;
        return frame;
    }

    /** The bare acknowledgement the server would send next, not delivered. */
    public byte[] nextServerAck() {
        return segment(Direction.REPLY, PacketView.TCP_ACK, new byte[0]).build();
    }

    /** A frame as one end would send it next, with the given flags and payload, without sending it. */
    public FrameBuilder segment(Direction direction, int flags, byte[] payload) {
        boolean fromClient = direction == Direction.ORIGINAL;
        FrameBuilder b = tcp
                ? FrameBuilder.tcp(fromClient ? client : server, fromClient ? clientPort : serverPort,
                        fromClient ? server : client, fromClient ? serverPort : clientPort)
                : FrameBuilder.udp(fromClient ? client : server, fromClient ? clientPort : serverPort,
                        fromClient ? server : client, fromClient ? serverPort : clientPort);
        long seq = fromClient ? clientSeq : serverSeq;
        long ack = fromClient ? serverSeq : clientSeq;
        return b.flags(flags).sequence(seq & 0xffffffffL).acknowledgement((flags & PacketView.TCP_ACK) != 0 ? ack & 0xffffffffL : 0)
                .window(window).payload(payload);
    }

    /** Hands one frame to the function as the engine would, a microsecond after the previous one. */
    public Verdict send(Direction direction, FrameBuilder frame) {
        return send(direction, frame.build());
    }

    public Verdict send(Direction direction, byte[] frame) {
        return sendAt(direction, frame, nowNanos += 1_000);
    }

    public Verdict sendAt(Direction direction, byte[] frame, long timestampNanos) {
        nowNanos = Math.max(nowNanos, timestampNanos);
        return delivery.deliver(direction, frame, timestampNanos);
    }

    public long clientSeq() {
        return clientSeq & 0xffffffffL;
    }

    public long serverSeq() {
        return serverSeq & 0xffffffffL;
    }

    /** Moves the client's next sequence number, as if bytes had been sent unseen (for gap tests). */
    public void skipClientBytes(int count) {
        clientSeq += count;
    }
}
