package dev.bastion.chain.spi;

/** Which way a packet travels, relative to the first packet seen of its flow. */
public enum Direction {
    /** Same direction as the flow's first packet (client to server for TCP). */
    ORIGINAL,
    /** The other direction. */
    REPLY;

    public Direction opposite() {
        return this == ORIGINAL ? REPLY : ORIGINAL;
    }
}
