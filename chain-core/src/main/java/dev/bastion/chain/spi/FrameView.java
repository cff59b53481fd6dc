package dev.bastion.chain.spi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@link PacketView} implementation: parses the headers of a frame once when it is wrapped, and is reused
 * for the next frame so that the steady path allocates nothing. Only the buffers handed out by
 * {@link #frame()} and {@link #payload()} are created, lazily, for functions that ask for them.
 */
public final class FrameView implements PacketView {
    private static final int ETHERNET_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int IPV4_MIN_HEADER = 20;
    private static final int TCP_MIN_HEADER = 20;
    private static final int UDP_HEADER = 8;

    private ByteBuffer source;
    private ByteBuffer readOnlySource;
    private int base;
    private int length;
    private long timestampNanos;
    private Direction direction = Direction.ORIGINAL;

    private long destinationMac;
    private long sourceMac;
    private int etherType;
    private boolean ipv4;
    private int sourceIp;
    private int destinationIp;
    private int protocol;
    private int ttl;
    private boolean fragment;
    private boolean tcp;
    private boolean udp;
    private int sourcePort;
    private int destinationPort;
    private long tcpSequence;
    private long tcpAcknowledgement;
    private int tcpFlags;
    private int tcpWindow;
    private boolean truncated;
    private int payloadOffset;
    private int payloadLength;
    private ByteBuffer frame;
    private ByteBuffer payload;

    /** Wraps a whole array as one frame, for tests and tools. */
    public static FrameView of(byte[] frame) {
        return new FrameView().wrap(ByteBuffer.wrap(frame), 0, frame.length, 0L);
    }

    /**
     * Points this view at {@code length} bytes of {@code buffer} from absolute index {@code offset} and parses
     * them. The frame must lie below the buffer's limit; the position is neither used nor changed. Direction
     * resets to ORIGINAL.
     */
    public FrameView wrap(ByteBuffer buffer, int offset, int length, long timestampNanos) {
        if (offset < 0 || length < 0 || offset + length > buffer.limit()) {
            throw new IndexOutOfBoundsException("frame " + offset + "+" + length + " beyond the buffer's limit "
                    + buffer.limit());
        }
        if (buffer != source) {
            source = buffer;
            readOnlySource = null;
        }
        this.base = offset;
        this.length = length;
        this.timestampNanos = timestampNanos;
        this.direction = Direction.ORIGINAL;
        this.frame = null;
        this.payload = null;
        parse();
        return this;
    }

    /** Set by the engine once the flow is known. */
    public void direction(Direction direction) {
        this.direction = direction;
    }

    private void parse() {
        destinationMac = 0;
        sourceMac = 0;
        etherType = 0;
        ipv4 = false;
        sourceIp = 0;
        destinationIp = 0;
        protocol = 0;
        ttl = 0;
        fragment = false;
        tcp = false;
        udp = false;
        sourcePort = 0;
        destinationPort = 0;
        tcpSequence = 0;
        tcpAcknowledgement = 0;
        tcpFlags = 0;
        tcpWindow = 0;
        truncated = false;
        payloadOffset = length;
        payloadLength = 0;

        if (length < ETHERNET_HEADER) {
            truncated = true;
            return;
        }
        destinationMac = u48(0);
        sourceMac = u48(6);
        etherType = u16(12);
        if (etherType != ETHERTYPE_IPV4) {
            payloadOffset = ETHERNET_HEADER;
            payloadLength = length - ETHERNET_HEADER;
            return;
        }
        int ip = ETHERNET_HEADER;
        if (length < ip + IPV4_MIN_HEADER) {
            truncated = true;
            return;
        }
        int versionIhl = u8(ip);
        int headerLength = (versionIhl & 0x0f) * 4;
        int totalLength = u16(ip + 2);
        if (versionIhl >>> 4 != 4 || headerLength < IPV4_MIN_HEADER || totalLength < headerLength) {
            return; // not a usable IPv4 header: the frame stays non-IPv4 to functions
        }
        if (length < ip + headerLength) {
            truncated = true;
            return;
        }
        ipv4 = true;
        int flagsOffset = u16(ip + 6);
        fragment = (flagsOffset & 0x3fff) != 0;
        ttl = u8(ip + 8);
        protocol = u8(ip + 9);
        sourceIp = s32(ip + 12);
        destinationIp = s32(ip + 16);
        int end = ip + totalLength;
        if (end > length) {
            truncated = true;
            end = length;
        }
        int l4 = ip + headerLength;
        payloadOffset = l4;
        payloadLength = end - l4;
        if ((flagsOffset & 0x1fff) != 0) {
            return; // a later fragment carries no transport header
        }
        if (protocol == 6) {
            if (end < l4 + TCP_MIN_HEADER) {
                truncated = true;
                return;
            }
            int dataOffset = (u8(l4 + 12) >>> 4) * 4;
            if (dataOffset < TCP_MIN_HEADER || l4 + dataOffset > end) {
                truncated = true;
                return;
            }
            tcp = true;
            ports(l4);
            tcpSequence = s32(l4 + 4) & 0xffffffffL;
            tcpAcknowledgement = s32(l4 + 8) & 0xffffffffL;
            tcpFlags = u8(l4 + 13);
            tcpWindow = u16(l4 + 14);
            payloadOffset = l4 + dataOffset;
            payloadLength = end - payloadOffset;
        } else if (protocol == 17) {
            if (end < l4 + UDP_HEADER) {
                truncated = true;
                return;
            }
            udp = true;
            ports(l4);
            payloadOffset = l4 + UDP_HEADER;
            payloadLength = end - payloadOffset;
        }
    }

    private void ports(int l4) {
        sourcePort = u16(l4);
        destinationPort = u16(l4 + 2);
    }

    private int u8(int at) {
        return source.get(base + at) & 0xff;
    }

    private int u16(int at) {
        return (u8(at) << 8) | u8(at + 1);
    }

    private int s32(int at) {
        int v = source.getInt(base + at);
        return source.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    private long u48(int at) {
        return ((long) u16(at) << 32) | (s32(at + 2) & 0xffffffffL);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public ByteBuffer frame() {
        if (frame == null) {
            if (readOnlySource == null) {
                readOnlySource = source.asReadOnlyBuffer();
            }
            frame = readOnlySource.slice(base, length);
        }
        return frame.duplicate().clear();
    }

    @Override
    public long destinationMac() {
        return destinationMac;
    }

    @Override
    public long sourceMac() {
        return sourceMac;
    }

    @Override
    public int etherType() {
        return etherType;
    }

    @Override
    public boolean isIpv4() {
        return ipv4;
    }

    @Override
    public int sourceIp() {
        return sourceIp;
    }

    @Override
    public int destinationIp() {
        return destinationIp;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public int ttl() {
        return ttl;
    }

    @Override
    public boolean isFragment() {
        return fragment;
    }

    @Override
    public boolean isTcp() {
        return tcp;
    }

    @Override
    public boolean isUdp() {
        return udp;
    }

    @Override
    public int sourcePort() {
        return sourcePort;
    }

    @Override
    public int destinationPort() {
        return destinationPort;
    }

    @Override
    public long tcpSequence() {
        return tcpSequence;
    }

    @Override
    public long tcpAcknowledgement() {
        return tcpAcknowledgement;
    }

    @Override
    public int tcpFlags() {
        return tcpFlags;
    }

    @Override
    public int tcpWindow() {
        return tcpWindow;
    }

    @Override
    public boolean isTruncated() {
        return truncated;
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public byte payloadByte(int index) {
        if (index < 0 || index >= payloadLength) {
            throw new IndexOutOfBoundsException("payload byte " + index + " of " + payloadLength);
        }
        return source.get(base + payloadOffset + index);
    }

    @Override
    public ByteBuffer payload() {
        if (payload == null) {
            payload = frame().slice(payloadOffset, payloadLength);
        }
        return payload.duplicate().clear();
    }
}
