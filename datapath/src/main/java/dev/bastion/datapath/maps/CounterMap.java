package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import dev.bastion.datapath.bpf.Cpus;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code counters} (per-CPU array): slot {@code id * 32 + reason} -> packets and bytes (two u64 per CPU). Reading
 * sums the CPUs. Id 0 counts what no container owns (unknown ingress interface, external interface).
 */
public final class CounterMap {
    public static final String NAME = "counters";
    private static final int VALUE_SIZE = 16;

    public record Counter(long packets, long bytes) {
    }

    private final BpfMap map;

    public CounterMap(BpfMap map) {
        this.map = map;
    }

    public Counter read(int id, Reason reason) {
        return map.lookup(Layout.u32(id * Reason.SLOTS + reason.code())).map(CounterMap::sum)
                .orElse(new Counter(0, 0));
    }

    /** The container's non-zero counters. */
    public Map<Reason, Counter> read(int id) {
        Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            Counter counter = read(id, reason);
            if (counter.packets() > 0) {
                counters.put(reason, counter);
            }
        }
        return counters;
    }

    /** Zeroes a container's counters (a reused id starts from nothing). */
    public void reset(int id) {
        byte[] zero = new byte[VALUE_SIZE * Cpus.possible()];
        for (Reason reason : Reason.values()) {
            map.update(Layout.u32(id * Reason.SLOTS + reason.code()), zero);
        }
    }

    static Counter sum(byte[] perCpu) {
        ByteBuffer values = Layout.wrap(perCpu);
        long packets = 0;
        long bytes = 0;
        while (values.remaining() >= VALUE_SIZE) {
            packets += values.getLong();
            bytes += values.getLong();
        }
        return new Counter(packets, bytes);
    }
}
