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

    /** Returns to the UMEM the frames published here that the kernel has not taken; the ring is empty after. */
    void takeBack(Umem umem) {
        consumer = loadConsumer();
        for (int index = consumer; index != producer; index++) {
            umem.release(memory.getLong(descriptors + (index & mask) * DESCRIPTOR));
        }
        producer = consumer;
    }
}
