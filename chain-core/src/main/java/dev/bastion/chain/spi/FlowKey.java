package dev.bastion.chain.spi;

import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.Protocol;

/**
 * Identifies a flow by its first packet's 5-tuple and the container it came from (the steered container).
 * Addresses are the 32 bits of the IPv4 address, protocol the IANA number (6 TCP, 17 UDP).
 */
public record FlowKey(String container, int sourceIp, int destinationIp, int protocol, int sourcePort,
                      int destinationPort) {

    @Override
    public String toString() {
        String proto = Protocol.of(protocol).map(Protocol::label).orElse("proto " + protocol);
        return proto + " " + new Ipv4Address(sourceIp) + ":" + sourcePort + " -> " + new Ipv4Address(destinationIp)
                + ":" + destinationPort + " (" + container + ")";
    }
}
