package dev.bastion.chain.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine runs at one time: the compiled chains, how new flows pick one, and the policy that
 * flows in progress must still satisfy. Installed as a whole with {@link ChainEngine#install(ChainSet)}.
 */
public final class ChainSet {
    private final Map<String, Chain> chains;
    private final ChainSelector selector;
    private final FlowPolicy policy;

    public ChainSet(List<Chain> chains, ChainSelector selector, FlowPolicy policy) {
        Map<String, Chain> byName = new LinkedHashMap<>();
        for (Chain chain : chains) {
            if (byName.putIfAbsent(chain.name(), chain) != null) {
                throw new IllegalArgumentException("chain '" + chain.name() + "' given twice");
            }
        }
        this.chains = Map.copyOf(byName);
        this.selector = selector;
        this.policy = policy;
    }

    public static ChainSet empty() {
        return new ChainSet(List.of(), ChainSelector.NONE, FlowPolicy.ALLOW_ALL);
    }

    public Chain chain(String name) {
        return chains.get(name);
    }

    public List<Chain> chains() {
        return List.copyOf(chains.values());
    }

    public ChainSelector selector() {
        return selector;
    }

    public FlowPolicy policy() {
        return policy;
    }

    /** Closes the function instances of a set that was never installed (an installed set is the engine's). */
    public void close() {
        chains.values().forEach(Chain::close);
    }
}
