package dev.bastion.policies.dependency;

import dev.bastion.policies.model.PortSpec;
import java.util.List;

/**
 * One peer of a container: {@code egress} are the peer's ports the container may open, {@code ingress} the
 * container's ports the peer may open. At least one of them is non-empty.
 */
public record PeerAccess(Endpoint peer, List<PortSpec> egress, List<PortSpec> ingress) {
}
