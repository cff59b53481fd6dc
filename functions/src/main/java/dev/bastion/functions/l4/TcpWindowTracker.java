package dev.bastion.functions.l4;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.PacketView;
import java.nio.ByteBuffer;

/**
 * Follows both directions of one TCP connection as a receiver would judge them: the next sequence number
 * each side will send, the last acknowledgement and window each side advertised (scaled once both SYNs
 * offered scaling, RFC 7323). With that, a segment can be checked against the receiver's window the way
 * the receiver's stack checks it (RFC 9293 3.10.7.4), before the packet gets there.
 */
final class TcpWindowTracker {
    private static final int MAX_SCALE = 14;

    private final boolean[] seen = new boolean[2];
    private final boolean[] synSeen = new boolean[2];
    private final int[] scaleOffered = {-1, -1};
    private final long[] end = new long[2];     // next sequence number the side will use
    private final boolean[] acked = new boolean[2];
    private final long[] ack = new long[2];     // last acknowledgement the side sent
    private final long[] window = new long[2];  // its last window, as sent
    private final boolean[] windowFromSyn = new boolean[2]; // SYN windows are never scaled

    /** Why {@code packet} would not be accepted by its receiver, or null (unknown counts as acceptable). */
    String problem(PacketView packet, boolean rstGuard, boolean strictRst, boolean injectionGuard) {
        int d = side(packet.direction());
        int o = 1 - d;
        long seq = packet.tcpSequence();
        boolean rst = packet.hasTcpFlags(PacketView.TCP_RST);
        if (rst && rstGuard) {
            if (!seen[d] && synSeen[o] && !acked[o] && seen[o]) {
                // Answer to a SYN: acceptable only if it acknowledges that SYN (RFC 9293 3.10.7.3).
                return packet.hasTcpFlags(PacketView.TCP_ACK) && packet.tcpAcknowledgement() == end[o]
                        ? null : "RST not acknowledging the SYN it answers";
            }
            if (strictRst && seen[d]) {
                return seq == end[d] ? null : "RST sequence " + seq + " is not the expected " + end[d];
            }
            if (acked[o] && !inWindow(seq, seq, o)) {
                return "RST sequence " + seq + " outside the receiver's window";
            }
            return null;
        }
        if (injectionGuard && acked[o]) {
            int length = packet.payloadLength();
            if (length > 0 && !inWindow(seq, seq + length, o)) {
                return "data at sequence " + seq + " outside the receiver's window";
            }
        }
        if (injectionGuard && seen[o] && packet.hasTcpFlags(PacketView.TCP_ACK)
                && (int) (packet.tcpAcknowledgement() - end[o]) > 0) {
            return "acknowledges data never sent";
        }
        return null;
    }

    /** Whether {@code [seq, segEnd]} overlaps what side {@code receiver} will accept. */
    private boolean inWindow(long seq, long segEnd, int receiver) {
        long win = Math.max(1, window[receiver] << (windowFromSyn[receiver] ? 0 : scale(receiver)));
        return (int) (segEnd - ack[receiver]) >= -win && (int) (seq - ack[receiver]) <= win;
    }

    private int scale(int side) {
        if (!synSeen[0] || !synSeen[1]) {
            return MAX_SCALE; // handshake not seen: the scale is unknown, assume the largest
        }
        return scaleOffered[0] >= 0 && scaleOffered[1] >= 0 ? scaleOffered[side] : 0;
    }

    /** Records an accepted packet. */
    void update(PacketView packet) {
        int d = side(packet.direction());
        int flags = packet.tcpFlags();
        long segEnd = packet.tcpSequence() + packet.payloadLength()
                + ((flags & PacketView.TCP_SYN) != 0 ? 1 : 0) + ((flags & PacketView.TCP_FIN) != 0 ? 1 : 0);
        segEnd &= 0xffffffffL;
        if (!seen[d] || (int) (segEnd - end[d]) > 0) {
            end[d] = segEnd;
        }
        seen[d] = true;
        if ((flags & PacketView.TCP_SYN) != 0) {
            synSeen[d] = true;
            scaleOffered[d] = windowScaleOption(packet);
        }
        if ((flags & PacketView.TCP_ACK) != 0 && (flags & PacketView.TCP_RST) == 0) {
            if (!acked[d] || (int) (packet.tcpAcknowledgement() - ack[d]) >= 0) {
                ack[d] = packet.tcpAcknowledgement();
                window[d] = packet.tcpWindow();
                windowFromSyn[d] = (flags & PacketView.TCP_SYN) != 0;
            }
            acked[d] = true;
        }
    }

    /** The window-scale shift a SYN offers, or -1 if it offers none. */
    private static int windowScaleOption(PacketView packet) {
        ByteBuffer frame = packet.frame();
        int ip = 14;
        int tcp = ip + (frame.get(ip) & 0x0f) * 4;
        int optionsEnd = Math.min(frame.limit(), tcp + ((frame.get(tcp + 12) & 0xff) >>> 4) * 4);
        for (int p = tcp + 20; p < optionsEnd; ) {
            int kind = frame.get(p) & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                p++;
                continue;
            }
            if (p + 1 >= optionsEnd) {
                break;
            }
            int len = frame.get(p + 1) & 0xff;
            if (len < 2 || p + len > optionsEnd) {
                break;
            }
            if (kind == 3 && len == 3) {
                return Math.min(MAX_SCALE, frame.get(p + 2) & 0xff);
            }
            p += len;
        }
        return -1;
    }

    private static int side(Direction direction) {
        return direction == Direction.ORIGINAL ? 0 : 1;
    }
}
