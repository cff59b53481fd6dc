package dev.bastion.policies.assistant;

import dev.bastion.policies.model.PortSpec;
import java.util.List;

/**
 * One dependency between container sets as the assistant sees it: the ports concerned and how many observed
 * flows back it (zero for an excessive policy).
 */
public record Finding(String fromSet, String toSet, List<PortSpec> ports, long flows) {
}
