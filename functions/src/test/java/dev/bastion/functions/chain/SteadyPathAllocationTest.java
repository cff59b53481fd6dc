package dev.bastion.functions.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FrameView;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.dns.DnsFilterFactory;
import dev.bastion.functions.l4.L4GuardFactory;
import dev.bastion.functions.ratelimit.RateLimitFactory;
import dev.bastion.functions.redis.RedisAclFactory;
import dev.bastion.functions.signature.SignatureFactory;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.TestFlow;
import dev.bastion.functions.support.Wire;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Packets of an established flow that a function passes cost no allocation: checked with the JVM's per-thread
 * allocation counter over many packets, after a warm-up. Frames are built beforehand.
 */
class SteadyPathAllocationTest {
    private static final int PACKETS = 20_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated per packet while {@code function} inspects {@code PACKETS} frames of a flow carrying {@code data}. */
    private static double allocationPerPacket(SecurityFunctionFactory factory, String yaml, boolean tcp, byte[] data) throws Exception {
        SecurityFunction function = factory.create(FunctionConfig.parse(yaml));
        Conversation c = tcp ? Conversation.tcp(function, 6379) : Conversation.udp(function, 53);
        if (tcp) {
            c.handshake();
        }
        TestFlow flow = c.flow();
        ByteBuffer[] frames = new ByteBuffer[2 * PACKETS];
        Direction[] directions = new Direction[frames.length];
        for (int i = 0; i < frames.length; i++) {
            // TCP: the server acknowledges every other packet, as a receiver does, keeping the window open.
            boolean ack = tcp && i % 2 == 1;
            frames[i] = ByteBuffer.wrap(ack ? c.nextServerAck() : c.nextClientFrame(data));
            directions[i] = ack ? Direction.REPLY : Direction.ORIGINAL;
        }
        FrameView view = new FrameView();
        long threadId = Thread.currentThread().getId();
        long before = 0;
        for (int i = 0; i < frames.length; i++) {
            if (i == PACKETS) {
                before = THREADS.getThreadAllocatedBytes(threadId); // the first half warms up
            }
            view.wrap(frames[i], 0, frames[i].capacity(), 1_000_000_000L + i * 1_000L);
            view.direction(directions[i]);
            assertEquals(Verdict.PASS, function.inspect(view, flow));
        }
        long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
        return (double) allocated / PACKETS;
    }

    private static void assertNoAllocation(double perPacket, String what) {
        assertTrue(perPacket < 1.0, what + " allocated " + perPacket + " bytes per packet");
    }

    @Test
    void l4Guard() throws Exception {
        assertNoAllocation(allocationPerPacket(new L4GuardFactory(), "synRate: {perSecond: 100}", true,
                new byte[64]), "l4-guard");
    }

    @Test
    void redisAcl() throws Exception {
        assertNoAllocation(allocationPerPacket(new RedisAclFactory(), "allow: [GET, SET]", true,
                Wire.redis("GET", "user:1")), "redis-acl");
    }

    @Test
    void signature() throws Exception {
        assertNoAllocation(allocationPerPacket(new SignatureFactory(),
                "rules: [{content: FLUSHALL, nocase: true}, {content: '|00 01|'}, {regex: 'CONFIG\\s+SET'}]", true,
                "*2\r\n$3\r\nGET\r\n$6\r\nuser:1\r\n".getBytes(StandardCharsets.US_ASCII)), "signature");
    }

    @Test
    void signatureOverTheStream() throws Exception {
        assertNoAllocation(allocationPerPacket(new SignatureFactory(),
                "stream: true\nrules: [{content: FLUSHALL, nocase: true}, {content: '|00 01|'}]", true,
                "*2\r\n$3\r\nGET\r\n$6\r\nuser:1\r\n".getBytes(StandardCharsets.US_ASCII)), "signature (stream)");
    }

    @Test
    void rateLimit() throws Exception {
        assertNoAllocation(allocationPerPacket(new RateLimitFactory(),
                "perFlow: {packetsPerSecond: 10000000}\nperSource: {bytesPerSecond: 1000000000}", true, new byte[100]), "rate-limit");
    }

    @Test
    void dnsFilterOverUdp() throws Exception {
        assertNoAllocation(allocationPerPacket(new DnsFilterFactory(), "allow: ['**.cluster.local']", false,
                Wire.dnsQuery(1, "redis.default.svc.cluster.local")), "dns-filter");
    }
}
