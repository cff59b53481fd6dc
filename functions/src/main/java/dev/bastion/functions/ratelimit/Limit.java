package dev.bastion.functions.ratelimit;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;

/**
 * A packet rate and a byte rate, each with its burst (defaults to one second's worth); 0 turns a rate off.
 * Read from a mapping such as {@code {packetsPerSecond: 1000, bytesPerSecond: 1000000}}.
 */
record Limit(double packetsPerSecond, double burstPackets, double bytesPerSecond, double burstBytes) {

    static Limit read(FunctionConfig config) throws ConfigException {
        config.allowOnly("packetsPerSecond", "burstPackets", "bytesPerSecond", "burstBytes");
        double pps = positive(config, "packetsPerSecond");
        double bps = positive(config, "bytesPerSecond");
        double burstPackets = config.has("burstPackets") ? atLeastOne(config, "burstPackets") : pps;
        double burstBytes = config.has("burstBytes") ? atLeastOne(config, "burstBytes") : bps;
        return new Limit(pps, burstPackets, bps, burstBytes);
    }

    private static double positive(FunctionConfig config, String key) throws ConfigException {
        double v = config.decimal(key, 0);
        if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            throw config.error(key, "must be a rate of 0 (off) or more");
        }
        return v;
    }

    private static double atLeastOne(FunctionConfig config, String key) throws ConfigException {
        double v = config.decimal(key, 1);
        if (!(v >= 1) || Double.isInfinite(v)) {
            throw config.error(key, "a burst must be 1 or more");
        }
        return v;
    }

    boolean isOff() {
        return packetsPerSecond == 0 && bytesPerSecond == 0;
    }

    /** Fresh buckets for one flow or source, full at {@code nowNanos}. */
    Buckets buckets(long nowNanos) {
        return new Buckets(
                packetsPerSecond > 0 ? new TokenBucket(packetsPerSecond, burstPackets, nowNanos) : null,
                bytesPerSecond > 0 ? new TokenBucket(bytesPerSecond, burstBytes, nowNanos) : null);
    }

    /** The buckets of one flow or source. */
    record Buckets(TokenBucket packets, TokenBucket bytes) {
        /** Whether a packet of {@code length} bytes fits both rates (a packet refused for bytes still used its packet token). */
        boolean admit(int length, long nowNanos) {
            if (packets != null && !packets.tryTake(1, nowNanos)) {
                return false;
            }
            return bytes == null || bytes.tryTake(length, nowNanos);
        }
    }
}
