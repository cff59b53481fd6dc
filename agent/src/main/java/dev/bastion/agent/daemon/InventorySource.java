package dev.bastion.agent.daemon;

import dev.bastion.policies.model.Inventory;
import java.util.Optional;

/** Where the agent's view of containers and policies comes from; polled every poll-interval. */
@FunctionalInterface
public interface InventorySource {

    /** A new inventory if something changed since the last call, empty if nothing did; throws if it cannot tell. */
    Optional<Inventory> poll() throws Exception;
}
