package dev.bastion.bridge.xsk;

/** UMEM frames the kernel has finished transmitting (u64 frame addresses), free to reuse. */
public final class CompletionRing extends ConsumerRing {
    static final int DESCRIPTOR = Long.BYTES;

    CompletionRing(int fd, Offsets offsets, int size) {
        super(fd, 0x180000000L, offsets, size, DESCRIPTOR, "completion ring");
    }

    public long address(int index) {
        return memory.getLong(slot(index, DESCRIPTOR));
    }
}
