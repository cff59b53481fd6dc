package dev.bastion.chain.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TcpStreamBufferTest {
    private static final long ISN = 0xfffffff0L; // sequence numbers wrap inside the test

    private static FrameView segment(long sequence, String payload) {
        return FrameView.of(FrameBuilder.tcp("10.0.0.1", 40000, "10.0.0.2", 80)
                .sequence(sequence & 0xffffffffL).payload(payload).build());
    }

    private static String text(TcpStreamBuffer stream) {
        return StandardCharsets.US_ASCII.decode(stream.view(Direction.ORIGINAL)).toString();
    }

    @Test
    void deliversInOrderAcrossRetransmissionsAndEarlySegments() {
        TcpStreamBuffer stream = new TcpStreamBuffer(1024);
        stream.accept(FrameView.of(FrameBuilder.tcp("10.0.0.1", 40000, "10.0.0.2", 80)
                .flags(PacketView.TCP_SYN).sequence(ISN).build()));
        assertEquals(4, stream.accept(segment(ISN + 1, "GET ")));
        assertEquals(0, stream.accept(segment(ISN + 12, "HTTP/1.1")), "early segment waits");
        assertEquals(0, stream.accept(segment(ISN + 1, "GET ")), "retransmission is not delivered twice");
        assertEquals("GET ", text(stream));
        assertEquals(15, stream.accept(segment(ISN + 3, "T /index HTTP")), "overlap fills the gap, early data joins");
        assertEquals("GET /index HTTP/1.1", text(stream));
        assertEquals(ISN + 1 + 19 - (1L << 32), stream.nextSequence(Direction.ORIGINAL));
        stream.consume(Direction.ORIGINAL, 4);
        assertEquals("/index HTTP/1.1", text(stream));
        assertEquals('/', stream.get(Direction.ORIGINAL, 0));
        assertEquals(0, stream.available(Direction.REPLY));
        assertFalse(stream.overflowed(Direction.ORIGINAL));
    }

    @Test
    void isBoundedAndSaysWhenBytesWereLost() {
        TcpStreamBuffer stream = new TcpStreamBuffer(8);
        assertEquals(8, stream.accept(segment(100, "0123456789")));
        assertTrue(stream.overflowed(Direction.ORIGINAL));
        assertEquals("01234567", text(stream));
        stream.consume(Direction.ORIGINAL, 8);
        assertEquals(0, stream.available(Direction.ORIGINAL));
    }

    @Test
    void tooManyHolesLoseTheSegmentNotTheStream() {
        TcpStreamBuffer stream = new TcpStreamBuffer(1024);
        stream.accept(segment(1000, "a"));
        for (int i = 0; i < 8; i++) {
            stream.accept(segment(1002 + 2L * i, "x"));
        }
        assertFalse(stream.overflowed(Direction.ORIGINAL));
        stream.accept(segment(1100, "y"));
        assertTrue(stream.overflowed(Direction.ORIGINAL));
        assertEquals(1, stream.available(Direction.ORIGINAL));
    }
}
