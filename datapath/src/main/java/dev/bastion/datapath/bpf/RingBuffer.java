package dev.bastion.datapath.bpf;

import jnr.ffi.LastError;
import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads records from a BPF ring buffer map (BPF_MAP_TYPE_RINGBUF) through libbpf's consumer. Each record is
 * handed to the consumer as a buffer of its own (a copy, in native byte order), so the consumer may keep it.
 * Poll from one thread at a time, and close from that thread.
 */
public final class RingBuffer implements AutoCloseable {
    private static final int EINTR = 4;

    private final Pointer ringBuffer;
    private final String description;
    /** Referenced for as long as libbpf may call it. */
    private final LibBpf.SampleCallback callback;
    private RuntimeException consumerFailure;
    private boolean closed;

    public RingBuffer(BpfMap map, Consumer<ByteBuffer> consumer) {
        if (map.type() != MapType.RINGBUF) {
            throw new IllegalArgumentException(map + " is a " + map.type() + " map, not a ring buffer");
        }
        this.description = "ring buffer " + map;
        this.callback = (context, data, size) -> {
            byte[] record = new byte[(int) size];
            data.get(0, record, 0, record.length);
            try {
                consumer.accept(ByteBuffer.wrap(record).order(ByteOrder.nativeOrder()));
                return 0;
            } catch (RuntimeException e) {
                consumerFailure = e;
                return -1; // stops this poll; the exception is rethrown by poll()
            }
        };
        Pointer created = LibBpf.INSTANCE.ring_buffer__new(map.fd(), callback, null, null);
        if (created == null) {
            throw new BpfException("open", description, LastError.getLastError(LibBpf.RUNTIME));
        }
        this.ringBuffer = created;
    }

    /**
     * Waits up to {@code timeout} for records and delivers all that are ready.
     *
     * @return how many records were delivered (0 on timeout)
     */
    public int poll(Duration timeout) {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
        int result = LibBpf.INSTANCE.ring_buffer__poll(ringBuffer, (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        RuntimeException failure = consumerFailure;
        if (failure != null) {
            consumerFailure = null;
            throw failure;
        }
        if (result == -EINTR) {
            return 0;
        }
        return BpfException.check(result, "poll", description);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibBpf.INSTANCE.ring_buffer__free(ringBuffer);
        }
    }
}
