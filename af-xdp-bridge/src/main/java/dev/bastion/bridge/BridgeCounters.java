package dev.bastion.bridge;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the bridge did with frames. Written by the bridge's thread only (a release store, no locked add per
 * packet), readable from any thread.
 */
public final class BridgeCounters {
    /** One counter each. */
    public enum Counter {
        /** Frames received from the sockets. */
        RX,
        /** Frames put on a destination's TX ring. */
        TX,
        /** Frames not forwarded, whatever the reason (the reasons below plus DROP and BLOCK_FLOW verdicts). */
        DROPPED,
        VERDICT_PASS,
        VERDICT_DROP,
        VERDICT_BLOCK_FLOW,
        VERDICT_BYPASS_FLOW,
        /** The destination's TX ring was full: the frame was dropped. */
        TX_RING_FULL,
        /** A fill ring could not be topped up: every UMEM frame was in use. */
        FILL_STARVED,
        /**
         * The destination address is neither a container with a socket on this bridge nor a remote container with
         * a route and an uplink (or the detour's engine is gone).
         */
        NO_ROUTE,
        /** Frames sent to an external inspection engine (Suricata) on its out port. */
        EXTERNAL_SENT,
        /** Frames the external engine let through, back on its back port. */
        EXTERNAL_RETURNED,
        /** Frames put on the uplink's TX ring, towards a container on another node. */
        UPLINK_SENT
    }

    private static final Counter[] ALL = Counter.values();
    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    void add(Counter counter, long amount) {
        int index = counter.ordinal();
        values.setRelease(index, values.getPlain(index) + amount);
    }

    public long get(Counter counter) {
        return values.getAcquire(counter.ordinal());
    }

    public Map<Counter, Long> snapshot() {
        Map<Counter, Long> snapshot = new EnumMap<>(Counter.class);
        for (Counter counter : ALL) {
            snapshot.put(counter, get(counter));
        }
        return snapshot;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
