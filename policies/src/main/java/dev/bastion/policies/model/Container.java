package dev.bastion.policies.model;

import java.util.Map;
import java.util.Optional;

/**
 * One container. A host-network container shares its node's network namespace (it has no network, IP or MAC
 * of its own): the paper's network-privileged container.
 */
public record Container(
        String name,
        String containerSet,
        String node,
        Optional<String> network,
        Optional<Ipv4Address> ip,
        Optional<MacAddress> mac,
        boolean hostNetwork,
        Map<String, String> labels) {
}
