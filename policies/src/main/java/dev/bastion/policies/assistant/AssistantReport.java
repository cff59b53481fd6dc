package dev.bastion.policies.assistant;

import dev.bastion.policies.model.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the policy assistant found in one observation window, and the policies it suggests instead: the
 * inventory's policies with the missing rules added and the excessive ones removed.
 */
public record AssistantReport(
        Optional<Instant> from,
        Optional<Instant> to,
        long flows,
        List<Finding> legitimate,
        List<Finding> missing,
        List<Finding> excessive,
        long unattributed,
        List<Policy> suggested,
        List<String> notes) {

    /** True when the policies match what was observed: nothing to add, nothing to remove. */
    public boolean clean() {
        return missing.isEmpty() && excessive.isEmpty();
    }
}
