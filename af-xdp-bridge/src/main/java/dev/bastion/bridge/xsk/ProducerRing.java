package dev.bastion.bridge.xsk;

/**
 * A ring Java fills and the kernel drains (fill, TX). Usage: {@code n = reserve(want)}, write slots
 * {@code 0..n-1} with the subclass's {@code put}, then {@code submit(n)}.
 */
abstract class ProducerRing extends Ring {
    ProducerRing(int fd, long pageOffset, Offsets offsets, int size, int descriptorSize, String what) {
        super(fd, pageOffset, offsets, size, descriptorSize, what);
    }

    /** Reserves up to {@code wanted} slots and returns how many are free (0 when the kernel lags behind). */
    public final int reserve(int wanted) {
        int free = size - (producer - consumer);
        if (free < wanted) {
            consumer = loadConsumer();
            free = size - (producer - consumer);
        }
        return Math.min(wanted, free);
    }

    /** Publishes the first {@code count} reserved slots to the kernel. */
    public final void submit(int count) {
        producer += count;
        storeProducer(producer);
    }

    /** Descriptors published and not yet taken by the kernel. */
    public final int pending() {
        consumer = loadConsumer();
        return producer - consumer;
    }

    /** Byte offset in the mapping of reserved slot {@code index}. */
    protected final int slot(int index, int descriptorSize) {
        return descriptors + ((producer + index) & mask) * descriptorSize;
    }
}
