package dev.bastion.agent.daemon;

import dev.bastion.policies.dependency.ContainerChange;
import java.util.List;
import java.util.Optional;

/**
 * What turns partition changes into enforcement on this node. The agent hands it only the difference between the
 * view in force and the next one; an enforcer that throws leaves the old view in force and is retried at the next
 * poll with the same difference.
 */
@FunctionalInterface
public interface Enforcer {

    /** Applies the changes for the containers of this node; {@code next} is the view they lead to. */
    void apply(List<ContainerChange> changes, PolicyView next) throws Exception;

    /**
     * Called at each poll that brought no new inventory, with the view in force: catches up with what the node
     * could not do yet (another node's MAC unresolved, say). Nothing by default.
     */
    default void refresh(PolicyView inForce) throws Exception {
    }

    /** The container's id in the enforcement (the datapath's counters and sockets use it), if it is protected here. */
    default Optional<Integer> protectedAs(String container) {
        return Optional.empty();
    }
}
