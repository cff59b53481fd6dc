package dev.bastion.chain.spi;

import java.util.function.Supplier;

/**
 * What a function knows about the flow of the packet it inspects. The engine keeps one context per flow and
 * hands it to every function of the chain in turn; {@link #state} is private to the function being called.
 */
public interface FlowContext {

    FlowKey key();

    /** Name of the chain the flow runs through (it keeps that chain across reloads). */
    String chain();

    /**
     * This function's state for this flow, created with {@code initial} on first use. The state lives as long
     * as the flow; {@link SecurityFunction#flowClosed} is the moment to release anything it holds.
     */
    <T> T state(Supplier<T> initial);

    /** Packets seen so far in {@code direction}, including the one being inspected. */
    long packets(Direction direction);

    /** Frame bytes seen so far in {@code direction}, including the packet being inspected. */
    long bytes(Direction direction);

    /** Monotonic timestamp (nanoseconds) of the flow's first packet. */
    long startNanos();

    /**
     * Raises an alert on this flow in the name of the function being called. The alert is published once the
     * chain has reached its verdict for the packet, carrying that verdict as its action.
     */
    void alert(Severity severity, String message);
}
