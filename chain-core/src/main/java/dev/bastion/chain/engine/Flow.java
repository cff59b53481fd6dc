package dev.bastion.chain.engine;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import java.util.function.Supplier;

/**
 * One flow in the table: the chain it started under, each function's state slot, counters per direction,
 * and the verdict that ended its inspection (then later packets, still in flight, get that verdict without
 * running the chain).
 */
final class Flow implements FlowContext {
    final FlowKey key;
    final FlowTuple tuple;
    final Chain chain;
    private final Object[] states;
    private final long[] packets = new long[2];
    private final long[] bytes = new long[2];
    private final long startNanos;
    private final PendingAlerts alerts;
    long lastSeenNanos;
    long payloadBytes;
    int generation;
    /** Index of the function being called, so that state() and alert() know whose they are. */
    int current;
    /** BLOCK_FLOW or BYPASS_FLOW once decided, else null. */
    Verdict decided;

    Flow(FlowKey key, FlowTuple tuple, Chain chain, long startNanos, int generation, PendingAlerts alerts) {
        this.key = key;
        this.tuple = tuple;
        this.chain = chain;
        this.states = new Object[chain.functions.length];
        this.startNanos = startNanos;
        this.lastSeenNanos = startNanos;
        this.generation = generation;
        this.alerts = alerts;
    }

    Direction directionOf(int sourceIp, int sourcePort) {
        return sourceIp == key.sourceIp() && sourcePort == key.sourcePort() ? Direction.ORIGINAL : Direction.REPLY;
    }

    void count(Direction direction, int frameBytes, int payload, long now) {
        packets[direction.ordinal()]++;
        bytes[direction.ordinal()] += frameBytes;
        payloadBytes += payload;
        lastSeenNanos = now;
    }

    long totalPackets() {
        return packets[0] + packets[1];
    }

    /** Lets every function release its state for this flow; returns how many of those calls threw. */
    int closeStates() {
        int failures = 0;
        for (int i = 0; i < states.length; i++) {
            current = i;
            try {
                chain.functions[i].flowClosed(this);
            } catch (RuntimeException e) {
                failures++;
                chain.functionMetrics[i].errors++;
            }
            states[i] = null;
        }
        return failures;
    }

    @Override
    public FlowKey key() {
        return key;
    }

    @Override
    public String chain() {
        return chain.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Supplier<T> initial) {
        Object state = states[current];
        if (state == null) {
            state = initial.get();
            states[current] = state;
        }
        return (T) state;
    }

    @Override
    public long packets(Direction direction) {
        return packets[direction.ordinal()];
    }

    @Override
    public long bytes(Direction direction) {
        return bytes[direction.ordinal()];
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public void alert(Severity severity, String message) {
        chain.functionMetrics[current].alerts++;
        chain.metrics.alerts++;
        alerts.add(chain.name(), chain.functionNames[current], severity, message, key);
    }
}
