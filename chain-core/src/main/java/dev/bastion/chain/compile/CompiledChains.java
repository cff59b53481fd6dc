package dev.bastion.chain.compile;

import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.engine.ChainSet;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.model.Inventory;
import java.util.List;

/**
 * What a reload produces from a validated chain directory and the policy in force: the steering entries for
 * the datapath and the chain set for the engine, computed from the same definitions so that the two agree.
 */
public record CompiledChains(List<SteeringEntry> steering, ChainSet chainSet) {

    public static CompiledChains compile(LoadedChains chains, Inventory inventory, DependencyMap dependencies) {
        List<SteeringEntry> steering = SteeringCompiler.compile(chains.definitions(), inventory, dependencies);
        ChainSet set = new ChainSet(List.copyOf(chains.chains().values()), new SteeringTable(steering),
                new DependencyPolicy(inventory, dependencies));
        return new CompiledChains(steering, set);
    }
}
