package dev.bastion.policies.model;

import java.util.Optional;

/** A container host. In a multi-node inventory each node has an address on the underlay network. */
public record HostNode(String name, Optional<Ipv4Address> underlayIp) {
}
