package dev.bastion.functions.ratelimit;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code ratePerSecond}; a packet passes if its
 * cost can be taken. Time comes from the caller (packet timestamps), so behaviour is reproducible. Not
 * thread-safe: callers serialize access (a flow is handled by one thread; shared tables lock).
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes {@code cost} tokens if that many are there at {@code nowNanos}; false (taking none) otherwise. */
    public boolean tryTake(double cost, long nowNanos) {
        if (nowNanos > lastNanos) {
            tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
            lastNanos = nowNanos;
        }
        if (tokens < cost) {
            return false;
        }
        tokens -= cost;
        return true;
    }

    public double tokens() {
        return tokens;
    }
}
