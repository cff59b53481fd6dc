package dev.bastion.chain.spi;

import dev.bastion.policies.model.Ipv4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds Ethernet/IPv4/TCP or UDP frames with correct lengths and IPv4 header checksum, for function tests
 * and benchmarks. Transport checksums are left zero: the engine does not check them.
 */
public final class FrameBuilder {
    private final int protocol;
    private long sourceMac = 0x02_00_00_00_00_01L;
    private long destinationMac = 0x02_00_00_00_00_02L;
    private int sourceIp;
    private int destinationIp;
    private int sourcePort;
    private int destinationPort;
    private int ttl = 64;
    private long sequence;
    private long acknowledgement;
    private int flags = PacketView.TCP_ACK;
    private int window = 65535;
    private byte[] payload = new byte[0];
    private int minimumLength;

    private FrameBuilder(int protocol, String source, int sourcePort, String destination, int destinationPort) {
        this.protocol = protocol;
        this.sourceIp = Ipv4Address.parse(source).bits();
        this.sourcePort = sourcePort;
        this.destinationIp = Ipv4Address.parse(destination).bits();
        this.destinationPort = destinationPort;
    }

    public static FrameBuilder tcp(String source, int sourcePort, String destination, int destinationPort) {
        return new FrameBuilder(6, source, sourcePort, destination, destinationPort);
    }

    public static FrameBuilder udp(String source, int sourcePort, String destination, int destinationPort) {
        return new FrameBuilder(17, source, sourcePort, destination, destinationPort);
    }

    public FrameBuilder macs(long source, long destination) {
        this.sourceMac = source;
        this.destinationMac = destination;
        return this;
    }

    public FrameBuilder ttl(int ttl) {
        this.ttl = ttl;
        return this;
    }

    /** TCP flag bits ({@code PacketView.TCP_*}); ACK alone by default. */
    public FrameBuilder flags(int flags) {
        this.flags = flags;
        return this;
    }

    public FrameBuilder sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    public FrameBuilder acknowledgement(long acknowledgement) {
        this.acknowledgement = acknowledgement;
        return this;
    }

    public FrameBuilder window(int window) {
        this.window = window;
        return this;
    }

    public FrameBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    public FrameBuilder payload(String ascii) {
        return payload(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** Pads the frame with zero bytes after the IPv4 packet up to {@code length} (as Ethernet padding does). */
    public FrameBuilder padTo(int length) {
        this.minimumLength = length;
        return this;
    }

    /** The same packet sent the other way (addresses, ports and MACs swapped). */
    public FrameBuilder reversed() {
        FrameBuilder r = new FrameBuilder(protocol, new Ipv4Address(destinationIp).toString(), destinationPort,
                new Ipv4Address(sourceIp).toString(), sourcePort);
        r.sourceMac = destinationMac;
        r.destinationMac = sourceMac;
        r.ttl = ttl;
        r.flags = flags;
        r.window = window;
        return r;
    }

    public byte[] build() {
        int l4Header = protocol == 6 ? 20 : 8;
        int ipLength = 20 + l4Header + payload.length;
        int frameLength = Math.max(14 + ipLength, minimumLength);
        ByteBuffer b = ByteBuffer.allocate(frameLength);
        putMac(b, destinationMac);
        putMac(b, sourceMac);
        b.putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength);
        b.putShort((short) 0).putShort((short) 0x4000); // id 0, don't fragment
        b.put((byte) ttl).put((byte) protocol).putShort((short) 0);
        b.putInt(sourceIp).putInt(destinationIp);
        b.putShort(ip + 10, (short) ipv4Checksum(b, ip));
        b.putShort((short) sourcePort).putShort((short) destinationPort);
        if (protocol == 6) {
            b.putInt((int) sequence).putInt((int) acknowledgement);
            b.put((byte) 0x50).put((byte) flags).putShort((short) window);
            b.putShort((short) 0).putShort((short) 0);
        } else {
            b.putShort((short) (8 + payload.length)).putShort((short) 0);
        }
        b.put(payload);
        return b.array();
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    private static int ipv4Checksum(ByteBuffer b, int at) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(at + i) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
