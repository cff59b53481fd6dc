package dev.bastion.agent.enforce;

import dev.bastion.datapath.net.Link;
import dev.bastion.policies.model.Ipv4Address;
import java.util.List;

/** A network interface of one namespace of the node, with its IPv4 addresses (what `ip addr show` lists). */
public record NodeInterface(Link link, List<Ipv4Address> addresses) {
}
