package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What changed in one container's partition, as the entries to add, change and remove. A peer or service
 * keeps its identity (peer container name, service IP and port) across a change; a peer whose address
 * changed is removed at its old address and added at its new one, because the datapath keys peers by IP.
 * For an ADDED container everything is in the added lists; for a REMOVED one everything is in the removed lists.
 */
public record ContainerChange(
        String container,
        Kind kind,
        Optional<Endpoint> selfBefore,
        Optional<Endpoint> selfAfter,
        List<PeerAccess> peersAdded,
        List<PeerAccess> peersChanged,
        List<PeerAccess> peersRemoved,
        Set<Ipv4Address> deniedIpsAdded,
        Set<Ipv4Address> deniedIpsRemoved,
        Set<MacAddress> deniedMacsAdded,
        Set<MacAddress> deniedMacsRemoved,
        List<ServiceEntry> servicesAdded,
        List<ServiceEntry> servicesChanged,
        List<ServiceEntry> servicesRemoved) {

    public enum Kind { ADDED, CHANGED, REMOVED }

    /** True if the container's own identity (node, IP or MAC) changed: source verification must follow. */
    public boolean selfChanged() {
        return !selfBefore.equals(selfAfter);
    }
}
