package dev.bastion.policies.model;

import java.util.List;

/** One ingress or egress rule: the peer container set and what it may use. */
public record PolicyRule(String peer, List<PortSpec> ports) {
}
