package dev.bastion.chain.engine;

import dev.bastion.chain.spi.Verdict;

/** What a packet gets when a function of its chain throws or overruns the chain's time budget. */
public enum FailureMode {
    /** The packet is dropped (the default: a broken function must not open a hole). */
    CLOSED(Verdict.DROP),
    /** The packet passes on to the next function (availability over inspection). */
    OPEN(Verdict.PASS);

    private final Verdict verdict;

    FailureMode(Verdict verdict) {
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }
}
