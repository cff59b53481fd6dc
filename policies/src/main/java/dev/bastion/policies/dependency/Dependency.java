package dev.bastion.policies.dependency;

import dev.bastion.policies.model.PortSpec;
import java.util.List;

/** Container {@code from} may open the listed ports of container {@code to}. */
public record Dependency(String from, String to, List<PortSpec> ports) {
}
