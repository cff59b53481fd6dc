package dev.bastion.chain.engine;

/**
 * Latencies in power-of-two nanosecond buckets: bucket {@code i} counts values below {@code 2^i} ns and at
 * least {@code 2^(i-1)}. Plain counters written by the engine's thread only; readers on other threads see
 * values that may be a few packets old.
 */
public final class LatencyHistogram {
    public static final int BUCKETS = 40;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sumNanos;

    public void record(long nanos) {
        long clamped = Math.max(0, nanos);
        int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(clamped));
        counts[bucket]++;
        total++;
        sumNanos += clamped;
    }

    public long count() {
        return total;
    }

    public long sumNanos() {
        return sumNanos;
    }

    public long bucketCount(int bucket) {
        return counts[bucket];
    }

    /** Exclusive upper bound of a bucket in nanoseconds. */
    public static long bucketUpperBound(int bucket) {
        return 1L << bucket;
    }

    /** Upper bound of the bucket holding the {@code q}-quantile (0 < q <= 1); 0 when nothing was recorded. */
    public long quantileUpperBound(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank && seen > 0) {
                return bucketUpperBound(i);
            }
        }
        return 0;
    }
}
