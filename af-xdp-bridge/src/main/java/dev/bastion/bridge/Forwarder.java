package dev.bastion.bridge;

import static dev.bastion.bridge.BridgeCounters.Counter.DROPPED;
import static dev.bastion.bridge.BridgeCounters.Counter.EXTERNAL_RETURNED;
import static dev.bastion.bridge.BridgeCounters.Counter.EXTERNAL_SENT;
import static dev.bastion.bridge.BridgeCounters.Counter.FILL_STARVED;
import static dev.bastion.bridge.BridgeCounters.Counter.NO_ROUTE;
import static dev.bastion.bridge.BridgeCounters.Counter.RX;
import static dev.bastion.bridge.BridgeCounters.Counter.TX;
import static dev.bastion.bridge.BridgeCounters.Counter.TX_RING_FULL;
import static dev.bastion.bridge.BridgeCounters.Counter.UPLINK_SENT;
import static dev.bastion.bridge.BridgeCounters.Counter.VERDICT_BLOCK_FLOW;
import static dev.bastion.bridge.BridgeCounters.Counter.VERDICT_BYPASS_FLOW;
import static dev.bastion.bridge.BridgeCounters.Counter.VERDICT_DROP;
import static dev.bastion.bridge.BridgeCounters.Counter.VERDICT_PASS;

import dev.bastion.bridge.xsk.CompletionRing;
import dev.bastion.bridge.xsk.FillRing;
import dev.bastion.bridge.xsk.RxRing;
import dev.bastion.bridge.xsk.TxRing;
import dev.bastion.bridge.xsk.Umem;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.datapath.maps.OverrideMap;
import java.nio.ByteBuffer;

/**
 * Moves one batch at a time through the rings: frames received on a port are inspected and, if they may pass,
 * put on the TX ring of the port that owns their destination IP (the same UMEM frame, destination MAC
 * rewritten), or, for a container on another node, on the uplink's TX ring with the MACs the datapath would give
 * it; the others go back to the UMEM. Every frame is inspected as a flow of the local container at one of its
 * ends (for frames from the uplink, its destination), so both directions of a flow between nodes meet the same
 * chain instance. A frame whose chain detours through an external engine goes on
 * the TX ring of that engine's out port instead, unchanged; frames coming back from the engine are forwarded
 * without another inspection. BLOCK_FLOW and BYPASS_FLOW are written into the datapath's
 * override map (both directions) so the rest of the flow never comes up again. Single-threaded.
 */
final class Forwarder {
    /** Shortest frame that holds Ethernet and a minimal IPv4 header. */
    private static final int MIN_FRAME = Frames.ETHERNET + 20;

    private final Umem umem;
    private final ByteBuffer frames;
    private final FrameInspector inspector;
    private final OverrideMap overrides;
    private final BridgeCounters counters;
    private final int batch;
    private final int fillLevel;
    private Port[] ports = new Port[0];
    private RemoteRoute[] remotes = new RemoteRoute[0];

    Forwarder(Umem umem, FrameInspector inspector, OverrideMap overrides, BridgeCounters counters, int batch,
              int fillLevel) {
        this.umem = umem;
        this.frames = umem.buffer();
        this.inspector = inspector;
        this.overrides = overrides;
        this.counters = counters;
        this.batch = batch;
        this.fillLevel = fillLevel;
    }

    void ports(Port[] ports) {
        this.ports = ports;
    }

    void remotes(RemoteRoute[] remotes) {
        this.remotes = remotes;
    }

    /** Receives, inspects and forwards up to one batch from {@code from}; returns how many frames came in. */
    int receive(Port from, long nowNanos) {
        RxRing rx = from.socket.rx();
        int count = rx.peek(batch);
        if (count == 0) {
            return 0;
        }
        if (from.role == Port.Role.EXTERNAL_BACK) {
            returned(rx, count);
            return count;
        }
        if (from.role == Port.Role.EXTERNAL_OUT) {
            releaseAll(rx, count); // nothing is redirected to an out port; whatever arrives is not ours
            return count;
        }
        long passed = 0;
        long dropped = 0;
        long blocked = 0;
        long bypassed = 0;
        long forwarded = 0;
        for (int i = 0; i < count; i++) {
            long address = rx.address(i);
            int length = rx.length(i);
            int frame = (int) address;
            Port local = length < MIN_FRAME ? null : localEnd(from, frame);
            Verdict verdict = local == null ? Verdict.DROP
                    : inspector.inspect(local.container.name(), frames, frame, length, nowNanos);
            switch (verdict) {
                case PASS -> passed++;
                case DROP -> dropped++;
                case BLOCK_FLOW -> {
                    blocked++;
                    overrides.set(Frames.flowKey(frames, frame), OverrideMap.Action.BLOCK);
                }
                case BYPASS_FLOW -> {
                    bypassed++;
                    overrides.set(Frames.flowKey(frames, frame), OverrideMap.Action.BYPASS);
                }
            }
            String detour = verdict.forwards() ? inspector.detour() : null;
            if (detour != null ? sendExternal(detour, address, length) : verdict.forwards() && forward(address, length)) {
                forwarded++;
            } else {
                umem.release(address);
            }
        }
        rx.release(count);
        flush();
        counters.add(RX, count);
        counters.add(TX, forwarded);
        counters.add(DROPPED, count - forwarded);
        counters.add(VERDICT_PASS, passed);
        counters.add(VERDICT_DROP, dropped);
        counters.add(VERDICT_BLOCK_FLOW, blocked);
        counters.add(VERDICT_BYPASS_FLOW, bypassed);
        return count;
    }

    /** Frames the external engine let through: on to their destinations, inspected already. */
    private void returned(RxRing rx, int count) {
        long forwarded = 0;
        for (int i = 0; i < count; i++) {
            long address = rx.address(i);
            int length = rx.length(i);
            if (length >= MIN_FRAME && Frames.isIpv4(frames, (int) address) && forward(address, length)) {
                forwarded++;
            } else {
                umem.release(address);
            }
        }
        rx.release(count);
        flush();
        counters.add(RX, count);
        counters.add(EXTERNAL_RETURNED, count);
        counters.add(TX, forwarded);
        counters.add(DROPPED, count - forwarded);
    }

    private void releaseAll(RxRing rx, int count) {
        for (int i = 0; i < count; i++) {
            umem.release(rx.address(i));
        }
        rx.release(count);
        counters.add(RX, count);
        counters.add(DROPPED, count);
    }

    /** Puts the frame as it is on the out port of external engine {@code name}. */
    private boolean sendExternal(String name, long address, int length) {
        for (Port port : ports) {
            if (port.role == Port.Role.EXTERNAL_OUT && port.external.name().equals(name)) {
                if (transmit(port, address, length)) {
                    counters.add(EXTERNAL_SENT, 1);
                    return true;
                }
                return false;
            }
        }
        counters.add(NO_ROUTE, 1);
        return false;
    }

    /**
     * The container whose flow the frame is: the port's own; for the steering port the sender, or the receiver
     * when the sender is on another node (tc mode brings frames from the uplink there too); for the uplink the
     * receiver.
     */
    private Port localEnd(Port from, int frame) {
        return switch (from.role) {
            case CONTAINER -> from;
            case STEERING -> {
                Port sender = route(Frames.sourceIp(frames, frame));
                yield sender != null ? sender : route(Frames.destinationIp(frames, frame));
            }
            case UPLINK -> route(Frames.destinationIp(frames, frame));
            case EXTERNAL_OUT, EXTERNAL_BACK -> null;
        };
    }

    private boolean forward(long address, int length) {
        int frame = (int) address;
        int destination = Frames.destinationIp(frames, frame);
        Port to = route(destination);
        if (to != null) {
            Frames.setDestinationMac(frames, frame, to.container.mac());
            return transmit(to, address, length);
        }
        RemoteRoute remote = remote(destination);
        Port uplink = remote == null ? null : uplink();
        if (uplink == null) {
            counters.add(NO_ROUTE, 1);
            return false;
        }
        Frames.setSourceMac(frames, frame, remote.sourceMac());
        Frames.setDestinationMac(frames, frame, remote.nextHopMac());
        if (transmit(uplink, address, length)) {
            counters.add(UPLINK_SENT, 1);
            return true;
        }
        return false;
    }

    private boolean transmit(Port to, long address, int length) {
        TxRing tx = to.socket.tx();
        if (tx.reserve(to.txPending + 1) <= to.txPending) {
            counters.add(TX_RING_FULL, 1);
            return false;
        }
        tx.put(to.txPending++, address, length);
        return true;
    }

    /** The container port of an address. A linear scan: a node has few containers with chained flows, and it allocates nothing. */
    private Port route(int ip) {
        for (Port port : ports) {
            if (port.role == Port.Role.CONTAINER && port.container.ip() == ip) {
                return port;
            }
        }
        return null;
    }

    private RemoteRoute remote(int ip) {
        for (RemoteRoute remote : remotes) {
            if (remote.ip() == ip) {
                return remote;
            }
        }
        return null;
    }

    private Port uplink() {
        for (Port port : ports) {
            if (port.role == Port.Role.UPLINK) {
                return port;
            }
        }
        return null;
    }

    /** Submits every port's pending TX descriptors and kicks it: copy mode transmits inside sendto. */
    private void flush() {
        for (Port port : ports) {
            if (port.txPending > 0) {
                port.socket.tx().submit(port.txPending);
                port.txPending = 0;
                port.socket.kick();
            }
        }
    }

    /**
     * Returns transmitted frames to the UMEM, kicks a TX ring the kernel left frames on (busy device), and tops
     * the port's fill ring up to the fill level.
     */
    void recycle(Port port) {
        if (port.socket.tx().pending() > 0) {
            port.socket.kick();
        }
        CompletionRing completion = port.socket.completion();
        int done;
        while ((done = completion.peek(batch)) > 0) {
            for (int i = 0; i < done; i++) {
                umem.release(completion.address(i));
            }
            completion.release(done);
        }
        FillRing fill = port.socket.fill();
        int wanted = fillLevel - fill.pending();
        if (wanted <= 0) {
            return;
        }
        int slots = fill.reserve(Math.min(wanted, umem.available()));
        if (slots < wanted) {
            counters.add(FILL_STARVED, 1);
        }
        for (int i = 0; i < slots; i++) {
            fill.put(i, umem.allocate());
        }
        fill.submit(slots);
    }
}
