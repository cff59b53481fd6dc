package dev.bastion.policies.dependency;

import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.PortSpec;
import java.util.List;

/** A service IP and port a container may use, with the backends it may reach behind it. */
public record ServiceEntry(Ipv4Address ip, PortSpec port, List<Backend> backends) {
}
