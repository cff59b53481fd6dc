package dev.bastion.policies.model;

import java.util.Optional;

/**
 * A bridge network on one node (Docker's default bridge, a pod CIDR): subnet, gateway address and, when
 * known, the gateway's MAC (the bridge's own address).
 */
public record ContainerNetwork(String name, String node, Ipv4Prefix subnet, Ipv4Address gateway,
        Optional<MacAddress> gatewayMac) {
}
