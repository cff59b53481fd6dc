package dev.bastion.policies.model;

/** A bridge network on one node (Docker's default bridge, a pod CIDR): subnet and gateway. */
public record ContainerNetwork(String name, String node, Ipv4Prefix subnet, Ipv4Address gateway) {
}
