package dev.bastion.functions.signature;

import dev.bastion.chain.spi.Verdict;

/** What a matching rule does, weakest first: when several rules match a packet, the strongest wins. */
enum SignatureAction {
    ALERT(Verdict.PASS),
    DROP(Verdict.DROP),
    BLOCK_FLOW(Verdict.BLOCK_FLOW);

    private final Verdict verdict;

    SignatureAction(Verdict verdict) {
        this.verdict = verdict;
    }

    Verdict verdict() {
        return verdict;
    }
}
