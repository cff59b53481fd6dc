package dev.bastion.bridge.xsk;

/** Frames to transmit (struct xdp_desc); in copy mode the kernel sends them during the kick's sendto. */
public final class TxRing extends ProducerRing {
    static final int DESCRIPTOR = 16;

    TxRing(int fd, Offsets offsets, int size) {
        super(fd, 0x80000000L, offsets, size, DESCRIPTOR, "TX ring");
    }

    public void put(int index, long address, int length) {
        int slot = slot(index, DESCRIPTOR);
        memory.putLong(slot, address);
        memory.putInt(slot + Long.BYTES, length);
        memory.putInt(slot + Long.BYTES + Integer.BYTES, 0);
    }
}
