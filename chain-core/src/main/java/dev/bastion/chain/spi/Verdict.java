package dev.bastion.chain.spi;

/**
 * What a security function decides for one packet. The chain stops at the first verdict other than
 * {@link #PASS}; the packet goes on to its destination only if every function passed it.
 */
public enum Verdict {
    /** Forward this packet (to the next function, then to the destination). */
    PASS,
    /** Drop this packet; the flow stays steered, so later packets are inspected again. */
    DROP,
    /** Drop this packet and have the datapath drop the rest of the flow without steering it. */
    BLOCK_FLOW,
    /** Forward this packet and have the datapath stop steering the flow (hand it back to the kernel). */
    BYPASS_FLOW;

    /** Whether the packet this verdict is about may reach its destination. */
    public boolean forwards() {
        return this == PASS || this == BYPASS_FLOW;
    }
}
