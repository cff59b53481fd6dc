package dev.bastion.chain.engine;

import dev.bastion.chain.spi.FlowKey;

/**
 * Whether the policy in force still allows a flow. The datapath only steers allowed flows, so this matters
 * after a reload: flows the new policy denies are blocked instead of finishing under their old chain.
 */
@FunctionalInterface
public interface FlowPolicy {
    FlowPolicy ALLOW_ALL = key -> true;

    boolean allows(FlowKey key);
}
