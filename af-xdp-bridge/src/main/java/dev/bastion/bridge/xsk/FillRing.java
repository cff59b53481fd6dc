package dev.bastion.bridge.xsk;

/** UMEM frames given to the kernel to receive into (u64 frame addresses). */
public final class FillRing extends ProducerRing {
    static final int DESCRIPTOR = Long.BYTES;

    FillRing(int fd, Offsets offsets, int size) {
        super(fd, 0x100000000L, offsets, size, DESCRIPTOR, "fill ring");
    }

    public void put(int index, long frameAddress) {
        memory.putLong(slot(index, DESCRIPTOR), frameAddress);
    }
}
