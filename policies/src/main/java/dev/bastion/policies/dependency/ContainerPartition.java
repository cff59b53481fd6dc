package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.List;
import java.util.Set;

/**
 * What one container's enforcement needs: its own identity, the peers it may talk to (sorted by name), the
 * gateway and special addresses it must never reach, and the service IPs it may use.
 */
public record ContainerPartition(
        Endpoint self,
        List<PeerAccess> peers,
        Set<Ipv4Address> deniedIps,
        Set<MacAddress> deniedMacs,
        List<ServiceEntry> services) {
}
