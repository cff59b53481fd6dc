package dev.bastion.chain.spi;

import java.nio.ByteBuffer;

/**
 * A read-only, parsed view of one Ethernet frame carrying IPv4. Header fields are parsed once; the payload is
 * a view of the frame's own memory, never a copy. Fields of a layer that is absent or cut short read as 0 (and
 * {@link #isTruncated()} tells the latter), so functions must check {@link #isTcp()} / {@link #isUdp()} first.
 * A view is valid only during the {@link SecurityFunction#inspect} call it is given to.
 */
public interface PacketView {
    int TCP_FIN = 0x01;
    int TCP_SYN = 0x02;
    int TCP_RST = 0x04;
    int TCP_PSH = 0x08;
    int TCP_ACK = 0x10;
    int TCP_URG = 0x20;

    /** Frame length in bytes, from the Ethernet header on. */
    int length();

    /** Monotonic receive time in nanoseconds, as given by whoever delivered the frame. */
    long timestampNanos();

    /** Direction relative to the flow's first packet. */
    Direction direction();

    /** The whole frame, read-only, position 0 and limit {@link #length()}. */
    ByteBuffer frame();

    /** Destination MAC address in the low 48 bits. */
    long destinationMac();

    /** Source MAC address in the low 48 bits. */
    long sourceMac();

    int etherType();

    /** Whether the frame holds a complete IPv4 header. */
    boolean isIpv4();

    /** Source IPv4 address as 32 bits (see {@link dev.bastion.policies.model.Ipv4Address}). */
    int sourceIp();

    int destinationIp();

    /** IANA protocol number from the IPv4 header (6 TCP, 17 UDP, 1 ICMP). */
    int protocol();

    int ttl();

    /** Whether this packet is an IPv4 fragment (more-fragments set or a non-zero offset). */
    boolean isFragment();

    /** Whether the frame holds a complete TCP header (not in a later fragment). */
    boolean isTcp();

    /** Whether the frame holds a complete UDP header (not in a later fragment). */
    boolean isUdp();

    int sourcePort();

    int destinationPort();

    /** TCP sequence number, unsigned. */
    long tcpSequence();

    /** TCP acknowledgement number, unsigned. */
    long tcpAcknowledgement();

    /** TCP flag bits (the {@code TCP_*} constants). */
    int tcpFlags();

    /** Whether all flag bits of {@code mask} are set. */
    default boolean hasTcpFlags(int mask) {
        return (tcpFlags() & mask) == mask;
    }

    /** TCP window as sent (unscaled). */
    int tcpWindow();

    /** Whether a header claims more bytes than the frame holds. */
    boolean isTruncated();

    /** Transport payload length (bounded by the IPv4 total length, so Ethernet padding is excluded). */
    int payloadLength();

    /** Byte {@code index} of the transport payload, for scanning without a buffer. */
    byte payloadByte(int index);

    /** The transport payload, read-only, position 0 and limit {@link #payloadLength()}. */
    ByteBuffer payload();
}
