package dev.bastion.functions.stream;

import dev.bastion.chain.spi.PacketView;

/**
 * Follows one direction of a TCP connection by sequence number, so a stream parser is fed each byte once and
 * in order: retransmitted bytes are skipped, and a segment that arrives ahead of a gap is reported so that the
 * caller can drop it (the sender retransmits it once the gap is filled). Nothing is buffered.
 */
public final class StreamCursor {
    /** {@link #newBytesFrom} result for a segment beyond the next expected byte. */
    public static final int GAP = -1;

    private boolean started;
    private long next; // next expected sequence number, unsigned 32 bits

    /**
     * Index in the packet's payload where bytes not seen before start ({@code payloadLength()} if none), or
     * {@link #GAP}. Advances past the payload (and past SYN/FIN, which take a sequence number each).
     */
    public int newBytesFrom(PacketView packet) {
        long seq = packet.tcpSequence();
        int length = packet.payloadLength();
        boolean syn = packet.hasTcpFlags(PacketView.TCP_SYN);
        if (syn) {
            seq = (seq + 1) & 0xffffffffL; // data of a SYN starts after the SYN's own number
        }
        if (!started) {
            started = true; // picked up mid-stream or at the SYN: this segment defines the start
            next = seq;
        }
        int ahead = (int) (seq - next);
        if (ahead > 0) {
            return GAP;
        }
        int skip = Math.min(-ahead, length);
        if (length > skip) {
            next = (next + (length - skip)) & 0xffffffffL;
        }
        if (packet.hasTcpFlags(PacketView.TCP_FIN) && (int) ((seq + length) - next) == 0) {
            next = (next + 1) & 0xffffffffL;
        }
        return skip;
    }
}
