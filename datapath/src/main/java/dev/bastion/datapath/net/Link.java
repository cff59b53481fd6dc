package dev.bastion.datapath.net;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A network interface as rtnetlink describes it in one network namespace.
 *
 * @param index its ifindex
 * @param mac its 48-bit hardware address (empty for interfaces with another kind of address or none)
 * @param kind its driver kind ("veth", "bridge"...), empty for physical and loopback interfaces
 * @param peerIndex the ifindex of the interface it is tied to (a veth's peer), in the namespace of
 *        {@code peerNamespaceId} when that is present, else in the same namespace
 * @param peerNamespaceId the id this namespace gives the namespace holding the peer
 */
public record Link(int index, String name, OptionalLong mac, Optional<String> kind, OptionalInt peerIndex,
        OptionalInt peerNamespaceId) {
}
