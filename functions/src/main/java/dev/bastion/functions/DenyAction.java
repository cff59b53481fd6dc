package dev.bastion.functions;

import dev.bastion.chain.spi.Verdict;

/** What a filter does with a packet it refuses: drop just the packet, or have the datapath drop the flow. */
public enum DenyAction {
    DROP(Verdict.DROP),
    BLOCK_FLOW(Verdict.BLOCK_FLOW);

    private final Verdict verdict;

    DenyAction(Verdict verdict) {
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }
}
