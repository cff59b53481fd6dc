package dev.bastion.functions.chain;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.functions.dns.DnsFilterFactory;
import dev.bastion.functions.http.HttpFilterFactory;
import dev.bastion.functions.l4.L4GuardFactory;
import dev.bastion.functions.ratelimit.RateLimitFactory;
import dev.bastion.functions.redis.RedisAclFactory;
import dev.bastion.functions.signature.SignatureFactory;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import dev.bastion.functions.tls.TlsSniFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real protocol bytes with random damage (flipped bytes, cuts, garbage spliced in, TCP flags and sequence
 * numbers scrambled) never make a function throw: whatever arrives, each answers with a verdict. A throw
 * would hand the packet to the chain's failure mode, and under fail-open let an attacker through.
 */
class MutatedTrafficTest {
    private static final int ROUNDS = 300;

    private record Case(SecurityFunctionFactory factory, String config, boolean tcp, int port, List<byte[]> traffic) {
    }

    private static List<Case> cases() throws Exception {
        return List.of(
                new Case(new HttpFilterFactory(), "allow: [{pathPrefix: /api/}]\ndeny: [{host: '*.evil.org'}]", true, 80,
                        List.of(Wire.http("GET", "/api/x?y=1", "shop.example.com"), Wire.http("POST", "/upload", "a"))),
                new Case(new RedisAclFactory(), "deny: [CONFIG]", true, 6379,
                        List.of(Wire.redis("SET", "k", "v"), Wire.redisInline("PING"), Wire.redis("CONFIG", "GET", "*"))),
                new Case(new DnsFilterFactory(), "allow: ['**.cluster.local']", false, 53,
                        List.of(Wire.dnsQuery(1, "a.b.cluster.local"), Wire.dnsQuery(2, "x.org", "y.cluster.local"))),
                new Case(new DnsFilterFactory(), "deny: ['*.evil.org']", true, 53,
                        List.of(Wire.dnsTcpQuery(1, "a.b.cluster.local"), Wire.dnsTcpQuery(2, "c2.evil.org"))),
                new Case(new TlsSniFactory(), "allow: ['*.example.com']", true, 443,
                        List.of(Wire.tlsClientHello("api.example.com"))),
                new Case(new SignatureFactory(), "rules: [{content: 'CONFIG', nocase: true, offset: 2, depth: 40}, {regex: 'a+b', depth: 64}]",
                        true, 80, List.of(Wire.redis("CONFIG", "SET", "dir", "/tmp"))),
                new Case(new L4GuardFactory(), "synRate: {perSecond: 5}\nstrictRst: true", true, 6379,
                        List.of(Wire.redis("GET", "k"))),
                new Case(new RateLimitFactory(), "perFlow: {packetsPerSecond: 50}\nperSource: {bytesPerSecond: 2000}", true, 80,
                        List.of(new byte[300])));
    }

    private static byte[] damage(byte[] data, Random random) {
        byte[] out = data.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n && out.length > 0; i++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length + 1));
            case 2 -> {
                byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                int at = random.nextInt(out.length + 1);
                byte[] spliced = new byte[out.length + garbage.length];
                System.arraycopy(out, 0, spliced, 0, at);
                System.arraycopy(garbage, 0, spliced, at, garbage.length);
                System.arraycopy(out, at, spliced, at + garbage.length, out.length - at);
                out = spliced;
            }
            default -> random.nextBytes(out);
        }
        return out;
    }

    @Test
    void damagedTrafficGetsAVerdictNeverAnException() throws Exception {
        Random random = new Random(20261130);
        for (Case c : cases()) {
            SecurityFunction function = c.factory().create(FunctionConfig.parse(c.config()));
            for (int round = 0; round < ROUNDS; round++) {
                Conversation conversation = c.tcp() ? Conversation.tcp(function, "10.1.0.2", 20000 + round, c.port())
                        : Conversation.udp(function, c.port());
                if (c.tcp() && random.nextBoolean()) {
                    conversation.handshake();
                }
                for (int packet = 0; packet < 6; packet++) {
                    byte[] payload = damage(c.traffic().get(random.nextInt(c.traffic().size())), random);
                    Direction direction = random.nextInt(5) == 0 ? Direction.REPLY : Direction.ORIGINAL;
                    String what = c.factory().name() + " round " + round + " packet " + packet;
                    if (c.tcp() && random.nextInt(4) == 0) {
                        // scrambled flags and sequence numbers, as a blind attacker would send them
                        assertNotNull(conversation.send(direction, conversation.segment(direction, random.nextInt(64), payload)
                                .sequence(random.nextInt() & 0xffffffffL).acknowledgement(random.nextInt() & 0xffffffffL)), what);
                    } else if (c.tcp() && random.nextInt(3) == 0) {
                        List<?> verdicts = conversation.client(payload, 1 + random.nextInt(16));
                        verdicts.forEach(v -> assertNotNull(v, what));
                    } else {
                        assertNotNull(direction == Direction.ORIGINAL ? conversation.client(payload) : conversation.server(payload), what);
                    }
                }
            }
        }
    }
}
