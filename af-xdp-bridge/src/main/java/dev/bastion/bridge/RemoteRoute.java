package dev.bastion.bridge;

/**
 * A container on another node, as the datapath's {@code containers} map has it (FORWARD_REMOTE): frames for
 * {@code ip} leave through the node's uplink with source MAC {@code sourceMac} (this node's external MAC) and
 * destination MAC {@code nextHopMac} (the other node's). MACs in the low 48 bits.
 */
public record RemoteRoute(int ip, long sourceMac, long nextHopMac) {
}
