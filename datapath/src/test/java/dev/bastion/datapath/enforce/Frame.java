package dev.bastion.datapath.enforce;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Builds Ethernet frames for program tests, with valid checksums, and reads fields back. */
final class Frame {
    static final int ETH_IPV4 = 0x0800;
    static final int ETH_ARP = 0x0806;
    static final int ETH_IPV6 = 0x86dd;
    static final int ETH_VLAN = 0x8100;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int IP_OFFSET = 14;

    long srcMac;
    long dstMac;
    int srcIp;
    int dstIp;
    int protocol = TCP;
    int sport;
    int dport;
    byte[] options = new byte[0];
    int fragmentOffset;
    boolean moreFragments;
    byte[] payload = "hello".getBytes();

    static Frame ipv4(long srcMac, long dstMac, int srcIp, int dstIp) {
        Frame frame = new Frame();
        frame.srcMac = srcMac;
        frame.dstMac = dstMac;
        frame.srcIp = srcIp;
        frame.dstIp = dstIp;
        return frame;
    }

    Frame tcp(int sport, int dport) {
        return l4(TCP, sport, dport);
    }

    Frame udp(int sport, int dport) {
        return l4(UDP, sport, dport);
    }

    Frame icmp() {
        return l4(ICMP, 0, 0);
    }

    Frame l4(int protocol, int sport, int dport) {
        this.protocol = protocol;
        this.sport = sport;
        this.dport = dport;
        return this;
    }

    Frame options(byte[] options) {
        this.options = options;
        return this;
    }

    Frame fragment(int offsetUnits, boolean more) {
        this.fragmentOffset = offsetUnits;
        this.moreFragments = more;
        return this;
    }

    byte[] build() {
        byte[] l4 = fragmentOffset > 0 ? payload : l4Segment();
        int ihl = 5 + options.length / 4;
        ByteBuffer ip = ByteBuffer.allocate(ihl * 4 + l4.length);
        ip.put((byte) (0x40 | ihl)).put((byte) 0).putShort((short) (ihl * 4 + l4.length)).putShort((short) 0x1234)
                .putShort((short) ((moreFragments ? 0x2000 : 0) | fragmentOffset)).put((byte) 64)
                .put((byte) protocol).putShort((short) 0).putInt(srcIp).putInt(dstIp).put(options);
        ip.putShort(10, (short) checksum(ip.array(), 0, ihl * 4, 0));
        ip.put(l4);
        return ethernet(dstMac, srcMac, ETH_IPV4, ip.array());
    }

    private byte[] l4Segment() {
        if (protocol == ICMP) {
            ByteBuffer icmp = ByteBuffer.allocate(8 + payload.length).put((byte) 8).put((byte) 0).putShort((short) 0)
                    .putInt(0x00010001).put(payload);
            icmp.putShort(2, (short) checksum(icmp.array(), 0, icmp.capacity(), 0));
            return icmp.array();
        }
        boolean tcp = protocol == TCP;
        int headerLength = tcp ? 20 : 8;
        ByteBuffer segment = ByteBuffer.allocate(headerLength + payload.length);
        segment.putShort((short) sport).putShort((short) dport);
        if (tcp) {
            segment.putInt(1000).putInt(0).put((byte) 0x50).put((byte) 0x02).putShort((short) 64240)
                    .putShort((short) 0).putShort((short) 0);
        } else {
            segment.putShort((short) (8 + payload.length)).putShort((short) 0);
        }
        segment.put(payload);
        int checksum = checksum(segment.array(), 0, segment.capacity(), pseudoHeader(srcIp, dstIp, protocol,
                segment.capacity()));
        segment.putShort(tcp ? 16 : 6, (short) checksum);
        return segment.array();
    }

    static byte[] ethernet(long dst, long src, int ethertype, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        putMac(frame, dst);
        putMac(frame, src);
        return frame.putShort((short) ethertype).put(payload).array();
    }

    static byte[] arp(long ethSrc, int op, long sha, int spa, long tha, int tpa) {
        ByteBuffer arp = ByteBuffer.allocate(28).putShort((short) 1).putShort((short) ETH_IPV4).put((byte) 6)
                .put((byte) 4).putShort((short) op);
        putMac(arp, sha);
        arp.putInt(spa);
        putMac(arp, tha);
        arp.putInt(tpa);
        return ethernet(0xffffffffffffL, ethSrc, ETH_ARP, arp.array());
    }

    static void putMac(ByteBuffer buffer, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            buffer.put((byte) (mac >>> shift));
        }
    }

    static long mac(byte[] frame, int offset) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | frame[offset + i] & 0xff;
        }
        return mac;
    }

    static int u16(byte[] frame, int offset) {
        return (frame[offset] & 0xff) << 8 | frame[offset + 1] & 0xff;
    }

    static int u32(byte[] frame, int offset) {
        return ByteBuffer.wrap(frame, offset, 4).getInt();
    }

    static int l4Offset(byte[] frame) {
        return IP_OFFSET + (frame[IP_OFFSET] & 0x0f) * 4;
    }

    static int srcIp(byte[] frame) {
        return u32(frame, IP_OFFSET + 12);
    }

    static int dstIp(byte[] frame) {
        return u32(frame, IP_OFFSET + 16);
    }

    static int srcPort(byte[] frame) {
        return u16(frame, l4Offset(frame));
    }

    static int dstPort(byte[] frame) {
        return u16(frame, l4Offset(frame) + 2);
    }

    /** Whether the IPv4 header checksum and the TCP/UDP checksum (over the pseudo header) are valid. */
    static boolean checksumsValid(byte[] frame) {
        int l4 = l4Offset(frame);
        int totalLength = u16(frame, IP_OFFSET + 2);
        int segmentLength = totalLength - (l4 - IP_OFFSET);
        int protocol = frame[IP_OFFSET + 9] & 0xff;
        return checksum(frame, IP_OFFSET, l4 - IP_OFFSET, 0) == 0
                && checksum(frame, l4, segmentLength, pseudoHeader(srcIp(frame), dstIp(frame), protocol,
                        segmentLength)) == 0;
    }

    private static int pseudoHeader(int src, int dst, int protocol, int length) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
    }

    /** The Internet checksum of bytes [offset, offset+length) plus an initial sum. */
    static int checksum(byte[] bytes, int offset, int length, int initial) {
        long sum = initial;
        for (int i = 0; i < length; i += 2) {
            int high = bytes[offset + i] & 0xff;
            int low = i + 1 < length ? bytes[offset + i + 1] & 0xff : 0;
            sum += high << 8 | low;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
