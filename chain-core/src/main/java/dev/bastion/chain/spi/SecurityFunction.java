package dev.bastion.chain.spi;

/**
 * One security function instance in a chain, created by its {@link SecurityFunctionFactory} from the chain's
 * configuration. The engine calls it from one thread at a time per chain; per-flow state belongs in
 * {@link FlowContext#state}, not in fields, because one instance serves every flow of its chain.
 */
public interface SecurityFunction {

    /**
     * Inspects one packet of a steered flow. Must not keep {@code packet} (the view is reused for the next
     * packet) and should not allocate on the common path. Throwing, or taking longer than the chain's time
     * budget, gives the packet the chain's failure mode.
     */
    Verdict inspect(PacketView packet, FlowContext flow);

    /** Called when the flow's state is discarded (ended, evicted, handed back to the kernel). */
    default void flowClosed(FlowContext flow) {
    }

    /** Releases what the instance holds; called once when its chain set is replaced or the engine stops. */
    default void close() {
    }
}
