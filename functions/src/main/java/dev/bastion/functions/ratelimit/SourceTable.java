package dev.bastion.functions.ratelimit;

import java.util.function.LongFunction;

/**
 * Per-source-address state with a fixed bound, for limits that span flows. Open addressing over a
 * power-of-two table; a lookup probes a few slots, and when they are all taken by other sources the one idle
 * longest is replaced, so a flood of new sources evicts stale entries instead of growing the table. Lookups
 * of known sources allocate nothing. Not thread-safe (a chain's functions run on one thread at a time).
 */
public final class SourceTable<T> {
    private static final int PROBES = 8;

    private final int[] keys;
    private final Object[] values;
    private final long[] lastSeen;
    private final int mask;
    private final LongFunction<T> create;
    private long evictions;

    /** @param create makes the state of a new source, given the current time */
    public SourceTable(int maxSources, LongFunction<T> create) {
        int capacity = Integer.highestOneBit(Math.max(PROBES, maxSources - 1)) << 1;
        keys = new int[capacity];
        values = new Object[capacity];
        lastSeen = new long[capacity];
        mask = capacity - 1;
        this.create = create;
    }

    @SuppressWarnings("unchecked")
    public T get(int source, long nowNanos) {
        int home = mix(source) & mask;
        int victim = -1;
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & mask;
            if (values[slot] == null) {
                victim = slot;
                break;
            }
            if (keys[slot] == source) {
                lastSeen[slot] = nowNanos;
                return (T) values[slot];
            }
            if (victim < 0 || lastSeen[slot] < lastSeen[victim]) {
                victim = slot;
            }
        }
        if (values[victim] != null) {
            evictions++;
        }
        T state = create.apply(nowNanos);
        keys[victim] = source;
        values[victim] = state;
        lastSeen[victim] = nowNanos;
        return state;
    }

    /** Sources whose state was dropped to make room. */
    public long evictions() {
        return evictions;
    }

    private static int mix(int x) {
        x *= 0x9E3779B9; // Fibonacci hashing spreads neighbouring addresses
        return x ^ (x >>> 16);
    }
}
