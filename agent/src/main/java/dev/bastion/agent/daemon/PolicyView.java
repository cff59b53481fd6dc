package dev.bastion.agent.daemon;

import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.Partitioner;
import dev.bastion.policies.model.Inventory;
import java.util.Map;

/** One inventory and what the policies module derives from it: the dependency map and each container's partition. */
public record PolicyView(Inventory inventory, DependencyMap dependencies, Map<String, ContainerPartition> partitions) {

    public static PolicyView of(Inventory inventory) {
        DependencyMap dependencies = DependencyExtractor.extract(inventory);
        return new PolicyView(inventory, dependencies, Partitioner.partition(inventory, dependencies));
    }

    /**
     * The view of a newer inventory. The partitions the change between the two cannot reach are this view's
     * instances, neither computed again nor compared, and the difference between the two views skips them by
     * identity: a change costs about the partitions it reaches (the dependency map is still extracted whole).
     */
    public PolicyView next(Inventory newer) {
        DependencyMap newerDependencies = DependencyExtractor.extract(newer);
        return new PolicyView(newer, newerDependencies,
                Partitioner.partition(newer, newerDependencies, inventory, dependencies, partitions));
    }
}
