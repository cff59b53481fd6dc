package dev.bastion.chain.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/**
 * Flows by 5-tuple, bounded: kept in least-recently-seen order, so that idle flows are found at the head and
 * a full table gives up the flow seen longest ago. Lookups go through a reusable probe and allocate nothing.
 */
final class FlowTable {
    private final LinkedHashMap<FlowTuple, Flow> flows;
    private final int capacity;
    private final long idleNanos;

    FlowTable(int capacity, long idleNanos) {
        if (capacity < 1 || idleNanos < 1) {
            throw new IllegalArgumentException("flow table needs a positive capacity and idle timeout");
        }
        this.capacity = capacity;
        this.idleNanos = idleNanos;
        this.flows = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true);
    }

    /** The flow of {@code probe}, now the most recently seen; null if unknown. */
    Flow get(FlowTuple probe) {
        return flows.get(probe);
    }

    /** Adds a new flow; if the table is full, first removes and returns the least recently seen one. */
    Flow add(Flow flow) {
        Flow evicted = null;
        if (flows.size() >= capacity) {
            Iterator<Flow> oldest = flows.values().iterator();
            evicted = oldest.next();
            oldest.remove();
        }
        flows.put(flow.tuple, flow);
        return evicted;
    }

    /** Removes every flow idle for the timeout or longer at {@code nowNanos}, oldest first. */
    int expire(long nowNanos, Consumer<Flow> removed) {
        int count = 0;
        for (Iterator<Flow> it = flows.values().iterator(); it.hasNext(); ) {
            Flow flow = it.next();
            if (nowNanos - flow.lastSeenNanos < idleNanos) {
                break;
            }
            it.remove();
            removed.accept(flow);
            count++;
        }
        return count;
    }

    void removeAll(Consumer<Flow> removed) {
        for (Iterator<Flow> it = flows.values().iterator(); it.hasNext(); ) {
            Flow flow = it.next();
            it.remove();
            removed.accept(flow);
        }
    }

    int size() {
        return flows.size();
    }

    long idleNanos() {
        return idleNanos;
    }
}
