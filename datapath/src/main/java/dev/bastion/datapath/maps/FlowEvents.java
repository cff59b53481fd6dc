package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import dev.bastion.datapath.bpf.RingBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/** {@code flow_events} (ring buffer): the first packet of each flow, decoded into {@link FlowEvent}s. */
public final class FlowEvents implements AutoCloseable {
    public static final String NAME = "flow_events";
    public static final String SEEN_NAME = "flows_seen";

    private final RingBuffer ring;

    public FlowEvents(BpfMap map, Consumer<FlowEvent> consumer) {
        this.ring = new RingBuffer(map, record -> consumer.accept(FlowEvent.decode(record)));
    }

    /** Delivers the waiting events; waits up to {@code timeout} for the first. Returns how many were delivered. */
    public int poll(Duration timeout) {
        return ring.poll(timeout);
    }

    @Override
    public void close() {
        ring.close();
    }
}
