package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.Optional;

/**
 * Where a container is: its name, node, IP and MAC (what source verification and forwarding need). A container
 * protected on its node always has a MAC; a peer on another node may have none, since frames to it go to its node.
 */
public record Endpoint(String container, String node, Ipv4Address ip, Optional<MacAddress> mac) {

    /** A container whose MAC is known. */
    public Endpoint(String container, String node, Ipv4Address ip, MacAddress mac) {
        this(container, node, ip, Optional.of(mac));
    }
}
