package dev.bastion.functions.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisAclTest {

    private static SecurityFunction acl(String yaml) throws ConfigException {
        return new RedisAclFactory().create(FunctionConfig.parse(yaml));
    }

    @Test
    void denyListBlocksTheFlowAtTheDeniedCommand() throws Exception {
        Conversation c = Conversation.tcp(acl("deny: [flushall, CONFIG, debug]"), 6379);
        c.handshake();
        assertEquals(Verdict.PASS, c.client(Wire.redis("SET", "user:1", "alice")));
        assertEquals(Verdict.PASS, c.server("+OK\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Verdict.PASS, c.client(Wire.redisInline("PING")));
        assertEquals(Verdict.BLOCK_FLOW, c.client(Wire.redis("CONFIG", "SET", "dir", "/root/.ssh")));
        assertTrue(c.flow().alerts().get(0).contains("command CONFIG denied"), c.flow().alerts().toString());
        assertEquals(Verdict.BLOCK_FLOW, c.client(Wire.redis("GET", "user:1")), "a blocked flow stays blocked");
    }

    @Test
    void allowListRefusesEverythingElseEvenSplitAcrossSegments() throws Exception {
        Conversation c = Conversation.tcp(acl("allow: [GET, SET, PING]"), 6379);
        c.handshake();
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        pipeline.writeBytes(Wire.redis("SET", "a", "1"));
        pipeline.writeBytes(Wire.redis("GET", "a"));
        pipeline.writeBytes(Wire.redis("KEYS", "*"));
        List<Verdict> verdicts = c.client(pipeline.toByteArray(), 5);
        int blockedAt = verdicts.indexOf(Verdict.BLOCK_FLOW);
        // "KEYS" ends at byte 35 + 14 of the pipeline; every segment before the one completing it passes.
        int keysNameEnd = Wire.redis("SET", "a", "1").length + Wire.redis("GET", "a").length + "*2\r\n$4\r\nKEYS\r\n".length();
        assertEquals((keysNameEnd - 1) / 5, blockedAt, verdicts.toString());
        assertTrue(verdicts.subList(0, blockedAt).stream().allMatch(v -> v == Verdict.PASS));
    }

    @Test
    void aCommandNameInsideAValueIsNotACommand() throws Exception {
        Conversation c = Conversation.tcp(acl("deny: [FLUSHALL]"), 6379);
        c.handshake();
        assertEquals(Verdict.PASS, c.client(Wire.redisWithValue("SET", "k",
                Wire.redis("FLUSHALL"))));
    }

    @Test
    void retransmissionsAreNotScannedTwiceAndGapsAreDropped() throws Exception {
        Conversation c = Conversation.tcp(acl("allow: [GET]"), 6379);
        c.handshake();
        byte[] get = Wire.redis("GET", "a");
        long seq = c.clientSeq();
        assertEquals(Verdict.PASS, c.client(get));
        // The same bytes again (a retransmission) must not be read as a second, half command.
        assertEquals(Verdict.PASS, c.send(dev.bastion.chain.spi.Direction.ORIGINAL,
                c.segment(dev.bastion.chain.spi.Direction.ORIGINAL, 0x18, get).sequence(seq)));
        c.skipClientBytes(10);
        assertEquals(Verdict.DROP, c.client(Wire.redis("GET", "b")), "a segment after a gap waits for the gap");
    }

    @Test
    void nonRespTrafficBlocksTheFlow() throws Exception {
        Conversation c = Conversation.tcp(acl("allow: [GET]"), 6379);
        c.handshake();
        assertEquals(Verdict.BLOCK_FLOW, c.client("*1\r\n:5\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(c.flow().alerts().get(0).contains("not a Redis request stream"));
    }

    @Test
    void repliesAndOtherProtocolsPass() throws Exception {
        Conversation c = Conversation.tcp(acl("allow: [GET]"), 6379);
        c.handshake();
        assertEquals(Verdict.PASS, c.server("-ERR not allowed\r\n*1\r\n".getBytes(StandardCharsets.US_ASCII)));
        Conversation udp = Conversation.udp(acl("allow: [GET]"), 6379);
        assertEquals(Verdict.PASS, udp.client(Wire.redis("FLUSHALL")));
    }

    @Test
    void configErrorsNameTheField() {
        ConfigException none = assertThrows(ConfigException.class, () -> acl("{}"));
        assertTrue(none.getMessage().contains("allow: give an allow or a deny list"), none.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> acl("deny: [GET, 'BAD NAME']"));
        assertEquals("<inline>:1: deny[1]: 'BAD NAME' is not a Redis command name", bad.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> acl("allow: [GET]\nblock: [SET]"));
        assertTrue(unknown.getMessage().startsWith("<inline>:2: block: unknown setting"), unknown.getMessage());
    }
}
