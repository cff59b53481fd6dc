package dev.bastion.chain.engine;

/**
 * How much of a flow a chain inspects before handing it back to the kernel (like Suricata's stream depth):
 * after {@code packets} packets or {@code payloadBytes} transport payload bytes, both directions counted, a
 * flow every function passed gets {@link dev.bastion.chain.spi.Verdict#BYPASS_FLOW}. Zero means no limit.
 */
public record InspectionDepth(long packets, long payloadBytes) {
    public static final InspectionDepth UNLIMITED = new InspectionDepth(0, 0);

    public InspectionDepth {
        if (packets < 0 || payloadBytes < 0) {
            throw new IllegalArgumentException("inspection depth cannot be negative");
        }
    }

    public static InspectionDepth packets(long packets) {
        return new InspectionDepth(packets, 0);
    }

    public static InspectionDepth bytes(long payloadBytes) {
        return new InspectionDepth(0, payloadBytes);
    }

    boolean reached(long seenPackets, long seenPayloadBytes) {
        return (packets > 0 && seenPackets >= packets) || (payloadBytes > 0 && seenPayloadBytes >= payloadBytes);
    }

    @Override
    public String toString() {
        if (packets > 0) {
            return "first " + packets + " packets";
        }
        return payloadBytes > 0 ? "first " + payloadBytes + " payload bytes" : "whole flow";
    }
}
