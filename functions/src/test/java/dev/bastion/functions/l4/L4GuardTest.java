package dev.bastion.functions.l4;

import static dev.bastion.chain.spi.PacketView.TCP_ACK;
import static dev.bastion.chain.spi.PacketView.TCP_FIN;
import static dev.bastion.chain.spi.PacketView.TCP_PSH;
import static dev.bastion.chain.spi.PacketView.TCP_RST;
import static dev.bastion.chain.spi.PacketView.TCP_SYN;
import static dev.bastion.chain.spi.PacketView.TCP_URG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class L4GuardTest {
    private static final Direction C = Direction.ORIGINAL;
    private static final Direction S = Direction.REPLY;

    private static SecurityFunction guard(String yaml) throws ConfigException {
        return new L4GuardFactory().create(FunctionConfig.parse(yaml));
    }

    /** An established connection with some data each way. */
    private static Conversation established(SecurityFunction f) {
        Conversation c = Conversation.tcp(f, 6379);
        assertEquals(List.of(Verdict.PASS, Verdict.PASS, Verdict.PASS), c.handshake());
        assertEquals(Verdict.PASS, c.client(Wire.redis("GET", "k")));
        assertEquals(Verdict.PASS, c.server("$1\r\nv\r\n".getBytes()));
        return c;
    }

    /** Inserts a window-scale option (NOP, kind 3) into a built TCP frame without options. */
    static byte[] withWindowScale(byte[] frame, int shift) {
        return withOptions(frame, new byte[] {1, 3, 3, (byte) shift});
    }

    /** Inserts four bytes of TCP options into a built TCP frame without options. */
    static byte[] withOptions(byte[] frame, byte[] options) {
        ByteBuffer out = ByteBuffer.allocate(frame.length + 4);
        out.put(frame, 0, 54).put(options).put(frame, 54, frame.length - 54);
        byte[] b = out.array();
        int ipLength = ((b[16] & 0xff) << 8 | (b[17] & 0xff)) + 4;
        b[16] = (byte) (ipLength >> 8);
        b[17] = (byte) ipLength;
        b[14 + 20 + 12] = 0x60;
        return b;
    }

    @Test
    void impossibleFlagCombinationsAreDropped() throws Exception {
        SecurityFunction f = guard("{}");
        Conversation c = established(f);
        for (int flags : new int[] {0, TCP_SYN | TCP_FIN, TCP_SYN | TCP_RST, TCP_FIN | TCP_RST | TCP_ACK,
                TCP_FIN | TCP_PSH | TCP_URG, TCP_FIN, TCP_PSH}) {
            assertEquals(Verdict.DROP, c.send(C, c.segment(C, flags, new byte[0])), "flags " + flags);
        }
        assertTrue(c.flow().alerts().stream().anyMatch(a -> a.contains("Xmas")), c.flow().alerts().toString());
        assertEquals(Verdict.PASS, c.send(C, c.segment(C, TCP_ACK | TCP_PSH | TCP_URG, new byte[0])));
        SecurityFunction off = guard("flags: false\nrstGuard: false\ninjectionGuard: false");
        assertEquals(Verdict.PASS, established(off).send(C, c.segment(C, 0, new byte[0])));
    }

    @Test
    void forgedRstOutsideTheWindowIsDroppedAndARealOnePasses() throws Exception {
        Conversation c = established(guard("{}"));
        long expected = c.serverSeq();
        // The attack: a container that cannot see the connection guesses a sequence number.
        assertEquals(Verdict.DROP, c.send(S, c.segment(S, TCP_RST, new byte[0]).sequence((expected + 5_000_000L) & 0xffffffffL)));
        assertEquals(Verdict.DROP, c.send(S, c.segment(S, TCP_RST, new byte[0]).sequence((expected - 200_000L) & 0xffffffffL)));
        assertTrue(c.flow().alerts().get(0).contains("outside the receiver's window"), c.flow().alerts().toString());
        assertEquals(Verdict.PASS, c.send(S, c.segment(S, TCP_RST, new byte[0]).sequence((expected + 1000) & 0xffffffffL)),
                "in the window: the receiver's own RFC 5961 check takes it from here");
        assertEquals(Verdict.PASS, c.send(S, c.segment(S, TCP_RST | TCP_ACK, new byte[0])));
    }

    @Test
    void strictModeWantsTheExactNextSequence() throws Exception {
        Conversation c = established(guard("strictRst: true"));
        long expected = c.clientSeq();
        assertEquals(Verdict.DROP, c.send(C, c.segment(C, TCP_RST, new byte[0]).sequence(expected + 10)));
        assertEquals(Verdict.PASS, c.send(C, c.segment(C, TCP_RST, new byte[0]).sequence(expected)));
    }

    @Test
    void anRstAnsweringASynMustAcknowledgeIt() throws Exception {
        SecurityFunction f = guard("{}");
        Conversation refused = Conversation.tcp(f, 7000);
        assertEquals(Verdict.PASS, refused.send(C, refused.segment(C, TCP_SYN, new byte[0])));
        assertEquals(Verdict.DROP, refused.send(S, refused.segment(S, TCP_RST | TCP_ACK, new byte[0])
                .acknowledgement(refused.clientSeq() + 77)), "a blind RST guessing the ISN");
        assertEquals(Verdict.PASS, refused.send(S, refused.segment(S, TCP_RST | TCP_ACK, new byte[0])
                .acknowledgement(refused.clientSeq() + 1)), "connection refused, for real");
    }

    @Test
    void injectedDataOutsideTheWindowOrAckingUnsentDataIsDropped() throws Exception {
        Conversation c = established(guard("{}"));
        byte[] evil = "+OK\r\n".getBytes();
        assertEquals(Verdict.DROP, c.send(S, c.segment(S, TCP_ACK | TCP_PSH, evil).sequence((c.serverSeq() + 3_000_000L) & 0xffffffffL)));
        assertEquals(Verdict.DROP, c.send(S, c.segment(S, TCP_ACK | TCP_PSH, evil).acknowledgement((c.clientSeq() + 100_000) & 0xffffffffL)));
        assertTrue(c.flow().alerts().get(1).contains("acknowledges data never sent"), c.flow().alerts().toString());
        // A retransmission of data the client already acknowledged is ordinary.
        assertEquals(Verdict.PASS, c.send(S, c.segment(S, TCP_ACK | TCP_PSH, evil).sequence((c.serverSeq() - 7) & 0xffffffffL)));
        assertEquals(Verdict.PASS, c.server(evil));
    }

    @Test
    void windowScalingFromTheHandshakeWidensTheWindow() throws Exception {
        for (int shift : new int[] {0, 7}) {
            Conversation c = Conversation.tcp(guard("{}"), 6379).window(512);
            c.send(C, withWindowScale(c.segment(C, TCP_SYN, new byte[0]).build(), shift));
            c.skipClientBytes(1);
            c.send(S, withWindowScale(c.segment(S, TCP_SYN | TCP_ACK, new byte[0]).build(), shift));
            c.send(C, c.segment(C, TCP_ACK, new byte[0]));
            c.send(S, c.segment(S, TCP_ACK, new byte[0])); // a SYN's own window is never scaled: wait for one that is
            byte[] frame = c.segment(C, TCP_RST, new byte[0]).sequence(c.clientSeq() + 30_000).build();
            Verdict expected = shift == 7 ? Verdict.PASS : Verdict.DROP; // 512 << 7 = 65536 covers 30000
            assertEquals(expected, c.send(C, frame), "shift " + shift);
        }
    }

    @Test
    void malformedTcpOptionsOfferNoScaling() throws Exception {
        byte[][] broken = {{3, 0, 7, 0}, {3, 9, 7, 0}, {3, 2, 0, 0}, {1, 1, 1, 3}, {0, 3, 3, 7}};
        for (byte[] options : broken) {
            Conversation c = Conversation.tcp(guard("{}"), 6379).window(512);
            assertEquals(Verdict.PASS, c.send(C, withOptions(c.segment(C, TCP_SYN, new byte[0]).build(), options)));
            c.skipClientBytes(1);
            assertEquals(Verdict.PASS, c.send(S, withWindowScale(c.segment(S, TCP_SYN | TCP_ACK, new byte[0]).build(), 7)));
            c.send(C, c.segment(C, TCP_ACK, new byte[0]));
            c.send(S, c.segment(S, TCP_ACK, new byte[0]));
            assertEquals(Verdict.DROP, c.send(C, c.segment(C, TCP_RST, new byte[0]).sequence(c.clientSeq() + 30_000)),
                    "one side offered no valid scaling, so the window stays 512: " + Arrays.toString(options));
        }
    }

    @Test
    void aConnectionPickedUpMidStreamIsJudgedOnlyOnceKnown() throws Exception {
        Conversation c = Conversation.tcp(guard("{}"), 6379);
        assertEquals(Verdict.PASS, c.client("x".getBytes()), "no handshake seen");
        assertEquals(Verdict.PASS, c.send(S, c.segment(S, TCP_RST, new byte[0]).sequence(12345)),
                "nothing known of the server's side yet");
    }

    @Test
    void synFloodFromOneSourceIsCut() throws Exception {
        SecurityFunction f = guard("synRate: {perSecond: 10, burst: 5}");
        int passed = 0;
        for (int port = 30000; port < 30050; port++) {
            Conversation c = Conversation.tcp(f, "10.1.0.7", port, 80);
            if (c.send(C, c.segment(C, TCP_SYN, new byte[0])) == Verdict.PASS) {
                passed++;
            }
        }
        assertEquals(5, passed);
        Conversation other = Conversation.tcp(f, "10.1.0.8", 30000, 80);
        assertEquals(Verdict.PASS, other.send(C, other.segment(C, TCP_SYN, new byte[0])));
        Conversation established = Conversation.tcp(f, "10.1.0.7", 29999, 80);
        assertEquals(Verdict.PASS, established.client("data".getBytes()), "only SYNs count");
    }

    @Test
    void configErrorsNameTheField() {
        ConfigException bad = assertThrows(ConfigException.class, () -> guard("flags: maybe"));
        assertEquals("<inline>:1: flags: expected true or false, got 'maybe'", bad.getMessage());
        ConfigException rate = assertThrows(ConfigException.class, () -> guard("synRate:\n  perSecond: -3"));
        assertTrue(rate.getMessage().startsWith("<inline>:2: synRate.perSecond:"), rate.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> guard("synRate: {rate: 3}"));
        assertTrue(unknown.getMessage().contains("synRate.rate: unknown setting"), unknown.getMessage());
    }
}
