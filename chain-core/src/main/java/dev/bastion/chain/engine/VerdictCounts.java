package dev.bastion.chain.engine;

import dev.bastion.chain.spi.Verdict;

/** One counter per verdict. */
public final class VerdictCounts {
    private final long[] counts = new long[Verdict.values().length];

    void add(Verdict verdict) {
        counts[verdict.ordinal()]++;
    }

    public long get(Verdict verdict) {
        return counts[verdict.ordinal()];
    }
}
