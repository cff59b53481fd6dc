package dev.bastion.functions.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private static final long MS = 1_000_000L;

    private static SecurityFunction limit(String yaml) throws ConfigException {
        return new RateLimitFactory().create(FunctionConfig.parse(yaml));
    }

    /** Sends {@code count} client datagrams of {@code size} bytes, {@code gapNanos} apart from {@code start}. */
    private static List<Verdict> burst(Conversation c, int count, int size, long start, long gapNanos) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(c.sendAt(Direction.ORIGINAL, c.segment(Direction.ORIGINAL, 0x18, new byte[size]).build(), start + i * gapNanos));
        }
        return out;
    }

    private static long passed(List<Verdict> verdicts) {
        return verdicts.stream().filter(v -> v == Verdict.PASS).count();
    }

    @Test
    void packetsPerFlow() throws Exception {
        Conversation c = Conversation.udp(limit("perFlow: {packetsPerSecond: 100, burstPackets: 10}"), 53);
        List<Verdict> flood = burst(c, 50, 10, 0, 0);
        assertEquals(10, passed(flood));
        assertEquals(Verdict.DROP, flood.get(49));
        assertEquals(1, c.flow().alerts().size(), "one alert per flow, not one per packet");
        assertEquals(Verdict.PASS, burst(c, 1, 10, 10 * MS, 0).get(0), "a token back after 10 ms");
        assertEquals(50, passed(burst(c, 50, 10, 2_000 * MS, 10 * MS)) , "at the rate everything passes");
    }

    @Test
    void bytesPerFlow() throws Exception {
        Conversation c = Conversation.udp(limit("perFlow: {bytesPerSecond: 10000}\naction: block-flow"), 53);
        List<Verdict> v = burst(c, 30, 958, 0, 0); // 1000-byte frames: ten fit the one-second burst
        assertEquals(10, passed(v));
        assertEquals(Verdict.BLOCK_FLOW, v.get(10));
    }

    @Test
    void perSourceBudgetIsSharedByTheSourcesFlows() throws Exception {
        SecurityFunction f = limit("perSource: {packetsPerSecond: 10, burstPackets: 5}");
        long total = 0;
        for (int port = 40000; port < 40010; port++) {
            Conversation c = Conversation.tcp(f, "10.1.0.2", port, 80);
            total += passed(burst(c, 3, 0, 0, 0));
        }
        assertEquals(5, total);
        Conversation other = Conversation.tcp(f, "10.1.0.9", 40000, 80);
        assertEquals(3, passed(burst(other, 3, 0, 0, 0)), "another source has its own budget");
    }

    @Test
    void repliesCountOnlyWhenAsked() throws Exception {
        Conversation original = Conversation.udp(limit("perFlow: {packetsPerSecond: 1}"), 53);
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.PASS, original.server(new byte[10]));
        }
        Conversation both = Conversation.udp(limit("perFlow: {packetsPerSecond: 1}\ndirection: both"), 53);
        assertEquals(Verdict.PASS, both.server(new byte[10]));
        assertEquals(Verdict.DROP, both.server(new byte[10]));
    }

    @Test
    void configErrorsNameTheField() {
        ConfigException none = assertThrows(ConfigException.class, () -> limit("action: drop"));
        assertTrue(none.getMessage().contains("perFlow: give a perFlow or perSource rate"), none.getMessage());
        ConfigException negative = assertThrows(ConfigException.class, () -> limit("perFlow:\n  packetsPerSecond: -1"));
        assertTrue(negative.getMessage().startsWith("<inline>:2: perFlow.packetsPerSecond: must be a rate"), negative.getMessage());
        ConfigException burst = assertThrows(ConfigException.class, () -> limit("perSource:\n  bytesPerSecond: 10\n  burstBytes: 0.5"));
        assertTrue(burst.getMessage().startsWith("<inline>:3: perSource.burstBytes: a burst must be 1 or more"), burst.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> limit("perFlow:\n  pps: 3"));
        assertTrue(unknown.getMessage().startsWith("<inline>:2: perFlow.pps: unknown setting"), unknown.getMessage());
        ConfigException text = assertThrows(ConfigException.class, () -> limit("perFlow: {packetsPerSecond: lots}"));
        assertTrue(text.getMessage().contains("perFlow.packetsPerSecond: expected a number"), text.getMessage());
    }
}
