package dev.bastion.datapath.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The test program datapath/src/test/bpf/ffi_test.c, its map layouts and frames to feed it. */
final class TestObjects {
    static final String RESOURCE = "bpf/ffi_test.o";
    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;
    static final int XDP_TX = 3;
    /** Slots of the per-CPU "stats" array. */
    static final int SLOT_TEST_RUN = 0;
    static final int SLOT_XDP_COUNT = 1;
    static final int SLOT_XDP_COUNT_V2 = 2;
    static final int SLOT_TC_COUNT = 3;
    /** struct stats: packets, bytes, ifindex (u32 each). */
    static final int STATS_SIZE = 12;

    private TestObjects() {
    }

    static BpfObject load() {
        BpfObject object = BpfObject.openResource(RESOURCE);
        try {
            object.load();
            return object;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
    }

    static long u64(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong();
    }

    /** An Ethernet frame from 02:00:00:00:00:01 to 02:00:00:00:00:02 carrying {@code payloadLength} bytes. */
    static byte[] frame(int payloadLength) {
        ByteBuffer frame = ByteBuffer.allocate(14 + payloadLength);
        frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x88b5); // local experimental
        for (int i = 0; i < payloadLength; i++) {
            frame.put((byte) i);
        }
        return frame.array();
    }

    /** Packets counted in a slot of "stats", summed over CPUs. */
    static long packets(BpfMap stats, int slot) {
        ByteBuffer values = values(stats, slot);
        long sum = 0;
        for (int cpu = 0; cpu < Cpus.possible(); cpu++) {
            sum += Integer.toUnsignedLong(values.getInt(cpu * STATS_SIZE));
        }
        return sum;
    }

    /** The last ifindex a slot of "stats" saw, on any CPU. */
    static int ifindex(BpfMap stats, int slot) {
        ByteBuffer values = values(stats, slot);
        int ifindex = 0;
        for (int cpu = 0; cpu < Cpus.possible(); cpu++) {
            ifindex = Math.max(ifindex, values.getInt(cpu * STATS_SIZE + 8));
        }
        return ifindex;
    }

    private static ByteBuffer values(BpfMap stats, int slot) {
        return ByteBuffer.wrap(stats.lookup(u32(slot)).orElseThrow()).order(ByteOrder.nativeOrder());
    }
}
