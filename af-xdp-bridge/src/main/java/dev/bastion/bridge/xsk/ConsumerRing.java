package dev.bastion.bridge.xsk;

/**
 * A ring the kernel fills and Java drains (RX, completion). Usage: {@code n = peek(max)}, read slots
 * {@code 0..n-1} with the subclass's getters, then {@code release(n)}.
 */
abstract class ConsumerRing extends Ring {
    ConsumerRing(int fd, long pageOffset, Offsets offsets, int size, int descriptorSize, String what) {
        super(fd, pageOffset, offsets, size, descriptorSize, what);
    }

    /** How many descriptors, at most {@code max}, are ready to read. */
    public final int peek(int max) {
        int available = producer - consumer;
        if (available == 0) {
            producer = loadProducer();
            available = producer - consumer;
        }
        return Math.min(max, available);
    }

    /** Hands the first {@code count} peeked slots back to the kernel. */
    public final void release(int count) {
        consumer += count;
        storeConsumer(consumer);
    }

    /** Byte offset in the mapping of peeked slot {@code index}. */
    protected final int slot(int index, int descriptorSize) {
        return descriptors + ((consumer + index) & mask) * descriptorSize;
    }
}
