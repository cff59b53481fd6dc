package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;

/** Where a container is: its name, node, IP and MAC (what source verification and forwarding need). */
public record Endpoint(String container, String node, Ipv4Address ip, MacAddress mac) {
}
