package dev.bastion.chain.spi;

import java.nio.ByteBuffer;

/**
 * In-order TCP payload of one flow, per direction, for functions that parse a byte stream (HTTP, RESP):
 * keep one in the flow's state, {@link #accept} every packet, read what {@link #available} says, then
 * {@link #consume} what was parsed. Retransmitted bytes are not delivered twice; segments that arrive early
 * wait (a few holes at most) until the gap before them is filled. Each direction holds at most
 * {@code capacity} bytes: what does not fit is lost and {@link #overflowed} tells.
 */
public final class TcpStreamBuffer {
    private static final int MAX_HOLES = 8;

    private final Side[] sides;

    public TcpStreamBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.sides = new Side[] {new Side(capacity), new Side(capacity)};
    }

    /**
     * Takes the payload of {@code packet} into its direction's buffer and returns how many bytes became
     * readable in order because of it (0 for a retransmission, an early segment, or a packet without payload).
     */
    public int accept(PacketView packet) {
        if (!packet.isTcp()) {
            return 0;
        }
        Side side = sides[packet.direction().ordinal()];
        if (packet.hasTcpFlags(PacketView.TCP_SYN)) {
            side.start(packet.tcpSequence() + 1);
            return 0;
        }
        if (packet.payloadLength() == 0) {
            return 0;
        }
        if (!side.synchronised) {
            side.start(packet.tcpSequence());
        }
        return side.write(packet);
    }

    /** Bytes readable in order in {@code direction}. */
    public int available(Direction direction) {
        return sides[direction.ordinal()].contiguous;
    }

    /** Byte {@code index} (0 is the oldest unconsumed byte) of {@code direction}'s in-order data. */
    public byte get(Direction direction, int index) {
        Side side = sides[direction.ordinal()];
        if (index < 0 || index >= side.contiguous) {
            throw new IndexOutOfBoundsException("stream byte " + index + " of " + side.contiguous);
        }
        return side.data[index];
    }

    /** The in-order data of {@code direction}, read-only, valid until the next accept or consume. */
    public ByteBuffer view(Direction direction) {
        Side side = sides[direction.ordinal()];
        return ByteBuffer.wrap(side.data, 0, side.contiguous).slice().asReadOnlyBuffer();
    }

    /** Discards the first {@code count} in-order bytes of {@code direction}, making room for more. */
    public void consume(Direction direction, int count) {
        sides[direction.ordinal()].consume(count);
    }

    /** Whether bytes of {@code direction} were lost because the buffer was full or had too many holes. */
    public boolean overflowed(Direction direction) {
        return sides[direction.ordinal()].overflowed;
    }

    /** Sequence number of the next in-order byte expected in {@code direction}. */
    public long nextSequence(Direction direction) {
        Side side = sides[direction.ordinal()];
        return (side.baseSequence + side.contiguous) & 0xffffffffL;
    }

    private static final class Side {
        final byte[] data;
        final int[] holeStarts = new int[MAX_HOLES];
        final int[] holeEnds = new int[MAX_HOLES];
        int ranges;
        long baseSequence;
        int contiguous;
        boolean synchronised;
        boolean overflowed;

        Side(int capacity) {
            this.data = new byte[capacity];
        }

        void start(long sequence) {
            baseSequence = sequence;
            contiguous = 0;
            ranges = 0;
            synchronised = true;
        }

        int write(PacketView packet) {
            int length = packet.payloadLength();
            int offset = (int) (packet.tcpSequence() - baseSequence); // 32-bit wrap-around safe
            int skip = 0;
            if (offset < 0) {
                skip = -offset;
                if (skip >= length) {
                    return 0;
                }
                offset = 0;
            }
            int writable = Math.min(length - skip, data.length - offset);
            if (writable < length - skip) {
                overflowed = true;
            }
            if (writable <= 0) {
                return 0;
            }
            int end = offset + writable;
            if (offset > contiguous && !addRange(offset, end)) {
                overflowed = true;
                return 0;
            }
            for (int i = 0; i < writable; i++) {
                data[offset + i] = packet.payloadByte(skip + i);
            }
            if (offset > contiguous) {
                return 0;
            }
            int before = contiguous;
            contiguous = Math.max(contiguous, end);
            absorbRanges();
            return contiguous - before;
        }

        /** Records an early segment [start, end), merged with overlapping ones; false if there is no room. */
        private boolean addRange(int start, int end) {
            for (int i = 0; i < ranges; i++) {
                if (start <= holeEnds[i] && end >= holeStarts[i]) {
                    holeStarts[i] = Math.min(holeStarts[i], start);
                    holeEnds[i] = Math.max(holeEnds[i], end);
                    return true;
                }
            }
            if (ranges == MAX_HOLES) {
                return false;
            }
            holeStarts[ranges] = start;
            holeEnds[ranges] = end;
            ranges++;
            return true;
        }

        /** Moves early segments that now touch the in-order data into it. */
        private void absorbRanges() {
            boolean grew = true;
            while (grew) {
                grew = false;
                for (int i = 0; i < ranges; i++) {
                    if (holeStarts[i] <= contiguous) {
                        contiguous = Math.max(contiguous, holeEnds[i]);
                        ranges--;
                        holeStarts[i] = holeStarts[ranges];
                        holeEnds[i] = holeEnds[ranges];
                        grew = true;
                        break;
                    }
                }
            }
        }

        void consume(int count) {
            if (count < 0 || count > contiguous) {
                throw new IndexOutOfBoundsException("cannot consume " + count + " of " + contiguous + " bytes");
            }
            int used = contiguous;
            for (int i = 0; i < ranges; i++) {
                used = Math.max(used, holeEnds[i]);
                holeStarts[i] -= count;
                holeEnds[i] -= count;
            }
            System.arraycopy(data, count, data, 0, used - count);
            contiguous -= count;
            baseSequence = (baseSequence + count) & 0xffffffffL;
        }
    }
}
