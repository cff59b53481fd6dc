package dev.bastion.policies.assistant;

import dev.bastion.policies.model.Protocol;
import java.time.Instant;
import java.util.Optional;

/**
 * One observed flow: who opened what, and whether the datapath let it through. A container is empty when the
 * address belongs to no known container.
 */
public record FlowObservation(Instant at, Optional<String> srcContainer, Optional<String> dstContainer,
        Protocol protocol, int dstPort, boolean allowed) {
}
