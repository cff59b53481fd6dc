package dev.bastion.bridge.xsk;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The packet memory shared by every socket of a bridge: {@code frameCount} frames of {@code frameSize} bytes
 * (a power of two, 2048..4096: aligned chunk mode) in one page-aligned anonymous mapping. Because all sockets
 * share it, moving a packet from one interface to another passes its address, never its bytes.
 *
 * <p>It also keeps the frames Java owns (neither in a fill ring, an RX descriptor being processed, nor a TX
 * ring) on a stack. Not thread-safe: one poll loop owns it.
 */
public final class Umem implements AutoCloseable {
    private final Mapping mapping;
    private final int frameSize;
    private final int frameCount;
    private final long frameMask;
    private final long[] free;
    private int freeCount;
    /**
     * Sockets bound to this UMEM. The first registers it; later ones bind with XDP_SHARED_UMEM to any of them
     * (the kernel shares the registration, not the socket), so closing the first one breaks nothing.
     */
    private final List<Integer> sockets = new ArrayList<>();

    public Umem(int frameCount, int frameSize) {
        if (Integer.bitCount(frameSize) != 1 || frameSize < 2048 || frameSize > 4096) {
            throw new IllegalArgumentException("frame size must be 2048 or 4096, not " + frameSize);
        }
        if (frameCount <= 0) {
            throw new IllegalArgumentException("a UMEM needs frames, not " + frameCount);
        }
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.frameMask = ~((long) frameSize - 1);
        this.mapping = Mapping.anonymous((long) frameCount * frameSize, "UMEM");
        this.free = new long[frameCount];
        for (int i = frameCount - 1; i >= 0; i--) {
            free[freeCount++] = (long) i * frameSize;
        }
    }

    /** The whole packet area; a descriptor's address is an absolute index into it. Network byte order. */
    public ByteBuffer buffer() {
        return mapping.buffer;
    }

    /** A view (no copy) of the {@code length} bytes at {@code address}, in network byte order. */
    public ByteBuffer frame(long address, int length) {
        return mapping.buffer.slice((int) address, length);
    }

    /** Takes a free frame; -1 when none is left. */
    public long allocate() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Returns a frame, given any address inside it (RX descriptors point past the headroom). */
    public void release(long address) {
        free[freeCount++] = address & frameMask;
    }

    public int available() {
        return freeCount;
    }

    public int frameSize() {
        return frameSize;
    }

    public int frameCount() {
        return frameCount;
    }

    /** A bound socket to share the registration with; -1 when none is left (the next socket registers). */
    synchronized int sharedFd() {
        return sockets.isEmpty() ? -1 : sockets.get(0);
    }

    synchronized void bound(int fd) {
        sockets.add(fd);
    }

    synchronized void closed(int fd) {
        sockets.remove(Integer.valueOf(fd));
    }

    long address() {
        return mapping.address;
    }

    long length() {
        return mapping.length;
    }

    /** Unmaps the memory; close every socket on it first. */
    @Override
    public void close() {
        mapping.close();
    }
}
