package dev.bastion.chain.engine;

/**
 * The flow table's key: a 5-tuple ordered so that both directions of a flow give the same key. One mutable
 * instance serves as the probe for every lookup; stored keys are copies, so lookups allocate nothing.
 */
final class FlowTuple {
    private int lowIp;
    private int highIp;
    private int lowPort;
    private int highPort;
    private int protocol;

    /** Sets the probe from a packet's addresses; returns this. */
    FlowTuple set(int sourceIp, int destinationIp, int protocol, int sourcePort, int destinationPort) {
        boolean sourceLow = Integer.compareUnsigned(sourceIp, destinationIp) < 0
                || (sourceIp == destinationIp && sourcePort <= destinationPort);
        this.lowIp = sourceLow ? sourceIp : destinationIp;
        this.highIp = sourceLow ? destinationIp : sourceIp;
        this.lowPort = sourceLow ? sourcePort : destinationPort;
        this.highPort = sourceLow ? destinationPort : sourcePort;
        this.protocol = protocol;
        return this;
    }

    FlowTuple copy() {
        FlowTuple copy = new FlowTuple();
        copy.lowIp = lowIp;
        copy.highIp = highIp;
        copy.lowPort = lowPort;
        copy.highPort = highPort;
        copy.protocol = protocol;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowTuple t && t.lowIp == lowIp && t.highIp == highIp && t.lowPort == lowPort
                && t.highPort == highPort && t.protocol == protocol;
    }

    @Override
    public int hashCode() {
        int h = lowIp * 31 + highIp;
        h = h * 31 + ((lowPort << 16) | highPort);
        h = h * 31 + protocol;
        return h ^ (h >>> 16);
    }
}
