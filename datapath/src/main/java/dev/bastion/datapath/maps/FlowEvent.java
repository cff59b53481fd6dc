package dev.bastion.datapath.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The first packet of a flow as the datapath decided it (struct flow_event, 32 bytes): kernel monotonic
 * timestamp, container id, 5-tuple as forwarded or dropped, verdict and reason.
 */
public record FlowEvent(long timestampNs, int id, FlowKey flow, Verdict verdict, Reason reason) {
    static final int SIZE = 32;

    /** Decodes one ring-buffer record; the buffer's position is not moved. */
    public static FlowEvent decode(ByteBuffer record) {
        if (record.remaining() < SIZE) {
            throw new IllegalArgumentException("flow event of " + record.remaining() + " bytes, expected " + SIZE);
        }
        ByteBuffer event = record.duplicate().order(ByteOrder.nativeOrder());
        long timestamp = event.getLong();
        int id = event.getInt();
        FlowKey flow = FlowKey.get(event);
        Verdict verdict = Verdict.values()[event.get()];
        Reason reason = Reason.of(event.getShort() & 0xffff);
        return new FlowEvent(timestamp, id, flow, verdict, reason);
    }
}
