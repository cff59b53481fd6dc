package dev.bastion.functions.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void burstThenRefillAtTheRate() {
        TokenBucket b = new TokenBucket(10, 3, 0);
        assertTrue(b.tryTake(1, 0));
        assertTrue(b.tryTake(1, 0));
        assertTrue(b.tryTake(1, 0));
        assertFalse(b.tryTake(1, 0));
        assertFalse(b.tryTake(1, 99_000_000L));
        assertTrue(b.tryTake(1, 100_000_000L), "one token per 100 ms at 10/s");
        assertTrue(b.tryTake(2, 10_000_000_000L), "refill is capped at the burst");
        assertEquals(1.0, b.tokens(), 1e-9);
    }

    @Test
    void timeGoingBackwardsAddsNothing() {
        TokenBucket b = new TokenBucket(1000, 1, 1_000_000_000L);
        assertTrue(b.tryTake(1, 1_000_000_000L));
        assertFalse(b.tryTake(1, 0));
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 0));
    }
}
