package dev.bastion.bridge.xsk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One of a socket's four single-producer single-consumer rings, mapped from the kernel: a producer index, a
 * consumer index and {@code size} descriptors. Java is the producer of the fill and TX rings and the consumer
 * of the RX and completion rings. The index the other side writes is read with acquire semantics (the
 * descriptors it published are visible after it), the index Java writes is stored with release semantics
 * (the descriptors Java wrote are visible before it), as the kernel's smp_load_acquire/smp_store_release pair
 * expects. Both indexes are free-running u32 counters; a descriptor's slot is {@code index & (size - 1)}.
 */
abstract class Ring implements AutoCloseable {
    private static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** Where the kernel placed the two indexes and the descriptors in the mapping (struct xdp_ring_offset). */
    record Offsets(long producer, long consumer, long descriptors) {
    }

    private final Mapping mapping;
    protected final ByteBuffer memory;
    private final int producerOffset;
    private final int consumerOffset;
    protected final int descriptors;
    protected final int size;
    protected final int mask;
    /** Local copies of the two indexes: the own one is authoritative, the other side's is refreshed on demand. */
    protected int producer;
    protected int consumer;

    Ring(int fd, long pageOffset, Offsets offsets, int size, int descriptorSize, String what) {
        this.mapping = Mapping.ofSocket(fd, pageOffset, offsets.descriptors() + (long) size * descriptorSize, what);
        this.memory = mapping.buffer.order(ByteOrder.nativeOrder());
        this.producerOffset = (int) offsets.producer();
        this.consumerOffset = (int) offsets.consumer();
        this.descriptors = (int) offsets.descriptors();
        this.size = size;
        this.mask = size - 1;
        this.producer = loadProducer();
        this.consumer = loadConsumer();
    }

    final int loadProducer() {
        return (int) U32.getAcquire(memory, producerOffset);
    }

    final int loadConsumer() {
        return (int) U32.getAcquire(memory, consumerOffset);
    }

    final void storeProducer(int value) {
        U32.setRelease(memory, producerOffset, value);
    }

    final void storeConsumer(int value) {
        U32.setRelease(memory, consumerOffset, value);
    }

    public final int size() {
        return size;
    }

    @Override
    public void close() {
        mapping.close();
    }
}
