package dev.bastion.bridge.xsk;

/** Received frames (struct xdp_desc: u64 address of the packet in the UMEM, u32 length, u32 options). */
public final class RxRing extends ConsumerRing {
    static final int DESCRIPTOR = 16;

    RxRing(int fd, Offsets offsets, int size) {
        super(fd, 0, offsets, size, DESCRIPTOR, "RX ring");
    }

    public long address(int index) {
        return memory.getLong(slot(index, DESCRIPTOR));
    }

    public int length(int index) {
        return memory.getInt(slot(index, DESCRIPTOR) + Long.BYTES);
    }
}
