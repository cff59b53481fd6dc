package dev.bastion.functions.support;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.chain.spi.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The flow context one function sees when it is tested on its own: one state slot, alerts recorded. */
public final class TestFlow implements FlowContext {
    private final FlowKey key;
    private final List<String> alerts = new ArrayList<>();
    private final long[] packets = new long[2];
    private final long[] bytes = new long[2];
    private Object state;

    public TestFlow(FlowKey key) {
        this.key = key;
    }

    /** Counts a packet as the engine does before calling functions. */
    void count(Direction direction, int length) {
        packets[direction.ordinal()]++;
        bytes[direction.ordinal()] += length;
    }

    @Override
    public FlowKey key() {
        return key;
    }

    @Override
    public String chain() {
        return "test";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Supplier<T> initial) {
        if (state == null) {
            state = initial.get();
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
        return 0;
    }

    @Override
    public void alert(Severity severity, String message) {
        alerts.add(severity + " " + message);
    }

    public List<String> alerts() {
        return alerts;
    }
}
