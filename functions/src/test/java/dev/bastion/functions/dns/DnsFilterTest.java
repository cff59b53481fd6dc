package dev.bastion.functions.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsFilterTest {
    private static final String RULES = """
            allow: ["**.cluster.local", "api.example.com"]
            deny: ["secrets.default.svc.cluster.local"]
            """;

    private static SecurityFunction filter(String yaml) throws ConfigException {
        return new DnsFilterFactory().create(FunctionConfig.parse(yaml));
    }

    private static List<String> names(byte[] message) {
        DnsQuestionReader reader = new DnsQuestionReader();
        List<String> out = new ArrayList<>();
        if (!reader.start(ByteBuffer.wrap(message))) {
            return List.of("!" + reader.error());
        }
        while (reader.next()) {
            out.add(reader.name().toString());
        }
        if (reader.error() != null) {
            out.add("!" + reader.error());
        }
        return out;
    }

    @Test
    void readerReadsTheQuestionsNettyWrites() {
        assertEquals(List.of("redis.default.svc.cluster.local", "example.com"),
                names(Wire.dnsQuery(7, "Redis.Default.svc.cluster.local.", "EXAMPLE.com")));
    }

    @Test
    void readerFollowsCompressionPointersButNotLoops() {
        byte[] q = Wire.dnsQuery(1, "www.example.com");
        // A second question "mail" + pointer to "example.com" (offset 12 + 4 = 16).
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(q);
        m.writeBytes(new byte[] {4, 'm', 'a', 'i', 'l', (byte) 0xc0, 16, 0, 1, 0, 1});
        byte[] two = m.toByteArray();
        two[5] = 2;
        assertEquals(List.of("www.example.com", "mail.example.com"), names(two));
        byte[] loop = two.clone();
        loop[loop.length - 5] = (byte) (two.length - 6); // pointer to itself
        assertTrue(names(loop).get(1).startsWith("!compression pointer loops"), names(loop).toString());
    }

    @Test
    void readerRejectsMalformedAndTruncatedMessages() {
        byte[] q = Wire.dnsQuery(1, "www.example.com");
        assertEquals(List.of("!shorter than a DNS header"), names(Arrays.copyOf(q, 11)));
        for (int cut = 12; cut < q.length; cut++) {
            List<String> found = names(Arrays.copyOf(q, cut));
            assertTrue(found.get(found.size() - 1).startsWith("!"), "cut " + cut + " " + found);
        }
        byte[] response = q.clone();
        response[2] |= (byte) 0x80;
        assertEquals(List.of("!a response, not a query"), names(response));
        byte[] dotInLabel = q.clone();
        dotInLabel[14] = '.'; // "w.w" as one label would read as two
        assertTrue(names(dotInLabel).get(0).contains("label holds a dot"));
        byte[] badType = q.clone();
        badType[12] = (byte) 0x43;
        assertTrue(names(badType).get(0).contains("unknown label type"));
    }

    @Test
    void udpQueriesAreFilteredByName() throws Exception {
        SecurityFunction f = filter(RULES);
        assertEquals(Verdict.PASS, Conversation.udp(f, 53).client(Wire.dnsQuery(1, "redis.default.svc.cluster.local")));
        assertEquals(Verdict.PASS, Conversation.udp(f, 53).client(Wire.dnsQuery(2, "API.example.com")));
        Conversation denied = Conversation.udp(f, 53);
        assertEquals(Verdict.DROP, denied.client(Wire.dnsQuery(3, "secrets.default.svc.cluster.local")));
        assertTrue(denied.flow().alerts().get(0).contains("'secrets.default.svc.cluster.local' denied"));
        assertEquals(Verdict.DROP, Conversation.udp(f, 53).client(Wire.dnsQuery(4, "exfil.attacker.net")));
        assertEquals(Verdict.DROP, Conversation.udp(f, 53).client(Wire.dnsQuery(5, "ok.cluster.local", "exfil.attacker.net")),
                "one denied question refuses the whole query");
        assertEquals(Verdict.DROP, Conversation.udp(f, 53).client(new byte[] {1, 2, 3}));
        Conversation reply = Conversation.udp(f, 53);
        assertEquals(Verdict.PASS, reply.server(new byte[] {1, 2, 3}), "replies are not filtered");
    }

    @Test
    void tcpQueriesAreGatheredAcrossSegments() throws Exception {
        Conversation c = Conversation.tcp(filter(RULES + "action: block-flow\n"), 53);
        c.handshake();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(Wire.dnsTcpQuery(1, "a.cluster.local"));
        stream.writeBytes(Wire.dnsTcpQuery(2, "exfil.attacker.net"));
        List<Verdict> verdicts = c.client(stream.toByteArray(), 7);
        int firstEnd = Wire.dnsTcpQuery(1, "a.cluster.local").length;
        int refusedAt = verdicts.indexOf(Verdict.BLOCK_FLOW);
        assertEquals((stream.size() - 1) / 7, refusedAt, verdicts.toString());
        assertTrue(refusedAt * 7 >= firstEnd);
        assertTrue(verdicts.subList(0, refusedAt).stream().allMatch(v -> v == Verdict.PASS));
    }

    @Test
    void aRefusedTcpQueryStaysRefusedEvenWhenResent() throws Exception {
        Conversation c = Conversation.tcp(filter(RULES), 53);
        c.handshake();
        long seq = c.clientSeq();
        byte[] bad = Wire.dnsTcpQuery(1, "exfil.attacker.net");
        assertEquals(Verdict.DROP, c.client(bad));
        assertEquals(Verdict.DROP, c.send(dev.bastion.chain.spi.Direction.ORIGINAL,
                c.segment(dev.bastion.chain.spi.Direction.ORIGINAL, 0x18, bad).sequence(seq)));
    }

    @Test
    void longTcpMessagesAreCutToTheBoundAndTheRestSkipped() throws Exception {
        Conversation c = Conversation.tcp(filter(RULES + "maxTcpMessageBytes: 64\n"), 53);
        c.handshake();
        byte[] query = Wire.dnsTcpQuery(1, "a.cluster.local");
        byte[] padded = Arrays.copyOf(query, query.length + 200); // an additional section the filter does not read
        int length = padded.length - 2;
        padded[0] = (byte) (length >> 8);
        padded[1] = (byte) length;
        assertEquals(Verdict.PASS, c.client(padded));
        assertEquals(Verdict.PASS, c.client(Wire.dnsTcpQuery(2, "b.cluster.local")), "framing kept after the skip");
        assertEquals(Verdict.DROP, c.client(Wire.dnsTcpQuery(3, "x.attacker.net")));
    }

    @Test
    void configErrorsNameTheField() {
        ConfigException bad = assertThrows(ConfigException.class, () -> filter("allow: ['ok.com', 'x..com']"));
        assertTrue(bad.getMessage().startsWith("<inline>:1: allow[1]:"), bad.getMessage());
        ConfigException action = assertThrows(ConfigException.class, () -> filter("deny: [a.com]\naction: reject"));
        assertEquals("<inline>:2: action: 'reject' is not one of drop, block-flow", action.getMessage());
        assertFalse(assertThrows(ConfigException.class, () -> filter("action: drop")).getMessage().isEmpty());
    }
}
