package dev.bastion.chain.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.model.Ipv4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameViewTest {

    @Test
    void parsesTcpHeadersAndPayloadWithoutEthernetPadding() {
        byte[] bytes = FrameBuilder.tcp("172.17.0.2", 40000, "172.17.0.3", 6379)
                .flags(PacketView.TCP_PSH | PacketView.TCP_ACK).sequence(0xfffffff0L).acknowledgement(7)
                .window(512).ttl(63).payload("PING\r\n").padTo(64).build();
        FrameView view = FrameView.of(bytes);

        assertEquals(64, view.length());
        assertTrue(view.isIpv4());
        assertTrue(view.isTcp());
        assertFalse(view.isUdp());
        assertFalse(view.isTruncated());
        assertEquals(Ipv4Address.parse("172.17.0.2").bits(), view.sourceIp());
        assertEquals(Ipv4Address.parse("172.17.0.3").bits(), view.destinationIp());
        assertEquals(6, view.protocol());
        assertEquals(63, view.ttl());
        assertEquals(40000, view.sourcePort());
        assertEquals(6379, view.destinationPort());
        assertEquals(0xfffffff0L, view.tcpSequence());
        assertEquals(7, view.tcpAcknowledgement());
        assertEquals(512, view.tcpWindow());
        assertTrue(view.hasTcpFlags(PacketView.TCP_PSH | PacketView.TCP_ACK));
        assertFalse(view.hasTcpFlags(PacketView.TCP_SYN));
        assertEquals(0x02_00_00_00_00_01L, view.sourceMac());
        assertEquals(6, view.payloadLength(), "padding after the IPv4 packet is not payload");
        assertEquals("PING\r\n", StandardCharsets.US_ASCII.decode(view.payload()).toString());
        assertEquals('P', view.payloadByte(0));
    }

    @Test
    void payloadIsAReadOnlyViewOfTheFrameNotACopy() {
        byte[] bytes = FrameBuilder.udp("10.0.0.1", 5353, "10.0.0.2", 53).payload("abc").build();
        ByteBuffer backing = ByteBuffer.wrap(bytes);
        FrameView view = new FrameView().wrap(backing, 0, bytes.length, 5L);
        ByteBuffer payload = view.payload();
        assertThrows(ReadOnlyBufferException.class, () -> payload.put(0, (byte) 'x'));
        bytes[bytes.length - 3] = 'z';
        assertEquals('z', view.payload().get(0), "the payload reads the frame's own memory");
        assertEquals(5L, view.timestampNanos());
    }

    @Test
    void readsAFrameInsideALargerBufferOfAnyByteOrder() {
        byte[] frame = FrameBuilder.udp("10.0.0.1", 1000, "10.0.0.2", 53).payload("q").build();
        ByteBuffer umem = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        umem.put(2048, frame);
        FrameView view = new FrameView().wrap(umem, 2048, frame.length, 0);
        assertTrue(view.isUdp());
        assertEquals(Ipv4Address.parse("10.0.0.1").bits(), view.sourceIp());
        assertEquals(53, view.destinationPort());
        assertEquals(frame.length, view.frame().remaining());
        assertEquals(1, view.payloadLength());
    }

    @Test
    void truncatedTcpHeaderIsFlaggedAndReadsAsNoTransport() {
        byte[] full = FrameBuilder.tcp("10.0.0.1", 1, "10.0.0.2", 2).build();
        FrameView view = FrameView.of(Arrays.copyOf(full, 14 + 20 + 10));
        assertTrue(view.isIpv4());
        assertTrue(view.isTruncated());
        assertFalse(view.isTcp());
        assertEquals(0, view.destinationPort());
    }

    @Test
    void shortFramesAndOtherEtherTypesAreNotIpv4() {
        assertTrue(FrameView.of(new byte[10]).isTruncated());
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        FrameView view = FrameView.of(arp);
        assertFalse(view.isIpv4());
        assertEquals(0x0806, view.etherType());
        assertFalse(view.isTruncated());
    }

    @Test
    void laterFragmentsHaveNoPorts() {
        byte[] bytes = FrameBuilder.udp("10.0.0.1", 1000, "10.0.0.2", 53).payload("0123456789").build();
        bytes[14 + 6] = 0x00;
        bytes[14 + 7] = 0x10; // fragment offset 16 * 8 bytes
        FrameView view = FrameView.of(bytes);
        assertTrue(view.isFragment());
        assertFalse(view.isUdp());
        assertEquals(0, view.sourcePort());
    }

    @Test
    void rewrappingReusesTheViewAndResetsFields() {
        FrameView view = FrameView.of(FrameBuilder.tcp("10.0.0.1", 1, "10.0.0.2", 2).payload("x").build());
        view.direction(Direction.REPLY);
        byte[] udp = FrameBuilder.udp("10.0.0.3", 3, "10.0.0.4", 4).build();
        assertEquals(view, view.wrap(ByteBuffer.wrap(udp), 0, udp.length, 1));
        assertFalse(view.isTcp());
        assertTrue(view.isUdp());
        assertEquals(0, view.tcpFlags());
        assertEquals(0, view.payloadLength());
        assertEquals(Direction.ORIGINAL, view.direction());
    }

    @Test
    void anyTruncationOrCorruptionParsesWithoutThrowing() {
        byte[] frame = FrameBuilder.tcp("10.0.0.1", 1234, "10.0.0.2", 80).payload("GET / HTTP/1.1\r\n").build();
        java.util.Random random = new java.util.Random(42);
        FrameView view = new FrameView();
        for (int cut = 0; cut <= frame.length; cut++) {
            view.wrap(ByteBuffer.wrap(frame), 0, cut, 0);
            assertTrue(view.payloadLength() >= 0 && view.payloadLength() <= cut, "cut at " + cut);
            if (view.isTcp()) {
                view.payload();
            }
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] corrupt = frame.clone();
            for (int flips = 0; flips < 4; flips++) {
                corrupt[14 + random.nextInt(corrupt.length - 14)] = (byte) random.nextInt(256);
            }
            view.wrap(ByteBuffer.wrap(corrupt), 0, corrupt.length, 0);
            int length = view.payloadLength();
            if (length > 0) {
                view.payloadByte(length - 1);
                assertEquals(length, view.payload().remaining());
            }
        }
    }
}
