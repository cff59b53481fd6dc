package dev.bastion.chain.compile;

import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Protocol;

/**
 * One steering rule for the datapath: packets of {@code container} exchanged with {@code peer} over
 * {@code protocol}, where the server side's port (the destination port of the flow's first packet, so the
 * peer's port on requests and the container's own port on replies) lies in {@code portFrom..portTo}, go to
 * {@code chain}. Every chained flow yields entries for both of its containers; {@code end} says which end of the
 * flow {@code container} is (the chain's context selects the source). Between nodes, only the source's node runs
 * the chain, for both directions.
 */
public record SteeringEntry(String container, Ipv4Address peer, Protocol protocol, int portFrom, int portTo,
                            String chain, End end) {
    /** Which end of the chained flow the entry's container is. */
    public enum End { SOURCE, DESTINATION }

    public boolean matches(int peerIp, int protocolNumber, int port) {
        return peer.bits() == peerIp && protocol.number() == protocolNumber && port >= portFrom && port <= portTo;
    }
}
