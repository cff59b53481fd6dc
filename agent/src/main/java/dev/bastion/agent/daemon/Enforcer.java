package dev.bastion.agent.daemon;

import dev.bastion.policies.dependency.ContainerChange;
import java.util.List;

/**
 * What turns partition changes into enforcement on this node. The agent hands it only the difference between the
 * view in force and the next one; an enforcer that throws leaves the old view in force and is retried at the next
 * poll with the same difference.
 */
@FunctionalInterface
public interface Enforcer {

    /** Applies the changes for the containers of this node; {@code next} is the view they lead to. */
    void apply(List<ContainerChange> changes, PolicyView next) throws Exception;
}
