package dev.bastion.functions.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureTest {
    private static final String RULES = """
            rules:
              - id: redis-config-set
                content: "|0d 0a|CONFIG|0d 0a|"
                nocase: true
                direction: original
                action: block-flow
              - id: sqli
                regex: "(?i)union\\\\s+select"
                depth: 256
              - id: scanner-ua
                content: "User-Agent: sqlmap"
                action: alert
                severity: low
              - id: shadow
                content: /etc/shadow
                offset: 4
                depth: 40
            """;

    private static SecurityFunction signature(String yaml) throws ConfigException {
        return new SignatureFactory().create(FunctionConfig.parse(yaml));
    }

    private static Verdict one(SecurityFunction f, byte[] payload) {
        Conversation c = Conversation.tcp(f, 80);
        c.handshake();
        return c.client(payload);
    }

    @Test
    void literalRulesMatchWithHexAndCaseFolding() throws Exception {
        SecurityFunction f = signature(RULES);
        assertEquals(Verdict.BLOCK_FLOW, one(f, Wire.redis("config", "set", "dir", "/tmp")));
        assertEquals(Verdict.PASS, one(f, Wire.redis("GET", "configuration")));
    }

    @Test
    void regexRulesLookWithinTheirDepth() throws Exception {
        SecurityFunction f = signature(RULES);
        assertEquals(Verdict.DROP, one(f, "GET /items?id=1 union  select pw HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        String far = "x".repeat(300) + "UNION SELECT";
        assertEquals(Verdict.PASS, one(f, far.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void offsetAndDepthBoundLiterals() throws Exception {
        SecurityFunction f = signature(RULES);
        assertEquals(Verdict.DROP, one(f, "GET /etc/shadow".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Verdict.PASS, one(f, "/etc/shadow at the start".getBytes(StandardCharsets.US_ASCII)), "before offset");
        assertEquals(Verdict.PASS, one(f, ("GET " + "y".repeat(40) + "/etc/shadow").getBytes(StandardCharsets.US_ASCII)), "past depth");
    }

    @Test
    void alertsEveryMatchingRuleAndTheStrongestActionWins() throws Exception {
        SecurityFunction f = signature(RULES);
        Conversation c = Conversation.tcp(f, 80);
        c.handshake();
        byte[] both = "GET /etc/shadow HTTP/1.1\r\nUser-Agent: sqlmap\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Verdict.DROP, c.client(both));
        assertEquals(2, c.flow().alerts().size(), c.flow().alerts().toString());
        assertTrue(c.flow().alerts().get(1).startsWith("LOW signature scanner-ua"), c.flow().alerts().toString());
        assertEquals(Verdict.PASS, c.client("User-Agent: sqlmap".getBytes(StandardCharsets.US_ASCII)), "alert only");
        assertEquals(3, c.flow().alerts().size());
    }

    @Test
    void directionLimitsARule() throws Exception {
        SecurityFunction f = signature(RULES);
        Conversation c = Conversation.tcp(f, 6379);
        c.handshake();
        assertEquals(Verdict.PASS, c.server("\r\nCONFIG\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void streamModeFindsLiteralsSplitAcrossSegments() throws Exception {
        String rules = "rules: [{id: cfg, content: 'CONFIG SET', nocase: true, action: block-flow}]";
        byte[] command = "*4\r\n$6\r\nconfig\r\n$3\r\nset\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] inline = "CONFIG SET dir /tmp\r\n".getBytes(StandardCharsets.US_ASCII);

        Conversation perPacket = Conversation.tcp(signature(rules), 6379);
        perPacket.handshake();
        assertTrue(perPacket.client(inline, 4).stream().allMatch(v -> v == Verdict.PASS), "split: invisible per packet");

        Conversation stream = Conversation.tcp(signature(rules + "\nstream: true"), 6379);
        stream.handshake();
        List<Verdict> verdicts = stream.client(inline, 4);
        assertEquals(Verdict.BLOCK_FLOW, verdicts.get(2), verdicts.toString()); // "CONFIG SET" ends at byte 10
        assertEquals(Verdict.PASS, Conversation.tcp(signature(rules + "\nstream: true"), 6379).client(command));
    }

    @Test
    void inStreamModeOffsetAndDepthCountFromTheStreamStart() throws Exception {
        String rules = "stream: true\nrules: [{id: greeting, content: EHLO, depth: 8}]";
        Conversation c = Conversation.tcp(signature(rules), 25);
        c.handshake();
        assertEquals(Verdict.PASS, c.client("MAIL FROM:<a@b>\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Verdict.PASS, c.client("EHLO x\r\n".getBytes(StandardCharsets.US_ASCII)), "past depth 8 of the stream");
        Conversation first = Conversation.tcp(signature(rules), 25);
        first.handshake();
        assertEquals(Verdict.DROP, first.client("EHLO x\r\n".getBytes(StandardCharsets.US_ASCII)));
        first.skipClientBytes(5);
        assertEquals(Verdict.DROP, first.client("data after a gap".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void contentSyntax() {
        assertArrayEquals(new byte[] {'a', 0x0d, 0x0a, 'b'}, ContentPattern.parse("a|0d 0A|b"));
        assertArrayEquals("a|b\\".getBytes(StandardCharsets.US_ASCII), ContentPattern.parse("a\\|b\\\\"));
        for (String bad : List.of("|0d", "|0g|", "|0 d|", "", "||", "|abc|")) {
            assertThrows(IllegalArgumentException.class, () -> ContentPattern.parse(bad), bad);
        }
    }

    @Test
    void configErrorsNameTheField() {
        ConfigException both = assertThrows(ConfigException.class, () -> signature("rules:\n  - content: a\n    regex: b"));
        assertTrue(both.getMessage().startsWith("<inline>:2: rules[0].content: give exactly one of content and regex"), both.getMessage());
        ConfigException hex = assertThrows(ConfigException.class, () -> signature("rules:\n  - content: '|zz|'"));
        assertTrue(hex.getMessage().startsWith("<inline>:2: rules[0].content:"), hex.getMessage());
        ConfigException regex = assertThrows(ConfigException.class, () -> signature("rules:\n  - regex: '(('"));
        assertTrue(regex.getMessage().startsWith("<inline>:2: rules[0].regex: not a regular expression"), regex.getMessage());
        ConfigException depth = assertThrows(ConfigException.class, () -> signature("rules:\n  - content: abcdef\n    depth: 3"));
        assertTrue(depth.getMessage().startsWith("<inline>:3: rules[0].depth:"), depth.getMessage());
        ConfigException dup = assertThrows(ConfigException.class,
                () -> signature("rules:\n  - {id: a, content: x}\n  - {id: a, content: y}"));
        assertTrue(dup.getMessage().contains("rules[1].id: rule id 'a' is used twice"), dup.getMessage());
        ConfigException action = assertThrows(ConfigException.class, () -> signature("rules:\n  - {content: x, action: reject}"));
        assertTrue(action.getMessage().contains("'reject' is not one of alert, drop, block-flow"), action.getMessage());
        ConfigException none = assertThrows(ConfigException.class, () -> signature("{}"));
        assertTrue(none.getMessage().contains("rules: give at least one rule"));
    }
}
