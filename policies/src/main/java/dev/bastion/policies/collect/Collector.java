package dev.bastion.policies.collect;

import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import java.util.Optional;

/**
 * A source of inventories: a file, a Kubernetes API server, a Docker engine. The agent polls it (every second
 * by default); a collector reports an inventory only when it differs from the one it reported last, so an
 * unchanged platform costs the agent nothing downstream.
 */
public interface Collector extends AutoCloseable {

    /**
     * The platform's inventory if it changed since the last call (the first call reports it), else empty. A
     * rejected inventory is thrown once per version, naming its source; the caller keeps the last good one.
     */
    Optional<Inventory> poll() throws InvalidSourceException;

    /** Releases connections and watches; the default holds none. */
    @Override
    default void close() {
    }
}
