package dev.bastion.chain.engine;

/**
 * Picks the chain for a new flow from the container whose interface the first packet came from and the
 * peer side of the packet. Returns null when no chain selects the flow.
 */
@FunctionalInterface
public interface ChainSelector {
    ChainSelector NONE = (container, peerIp, protocol, peerPort) -> null;

    /** @param peerPort the port on the peer side: the destination port of the packet, or its source port for a reply */
    String chainFor(String container, int peerIp, int protocol, int peerPort);
}
