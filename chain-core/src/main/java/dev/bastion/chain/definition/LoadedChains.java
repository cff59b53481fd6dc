package dev.bastion.chain.definition;

import dev.bastion.chain.engine.Chain;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated chain directory: the definitions and, for each, the compiled chain holding its function
 * instances. Either hand the chains to an engine (in a {@link dev.bastion.chain.engine.ChainSet}) or
 * {@link #close()} them.
 */
public record LoadedChains(List<ChainDefinition> definitions, Map<String, Chain> chains) implements AutoCloseable {

    public Optional<ChainDefinition> definition(String name) {
        return definitions.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** Closes the function instances; only for chains that were never installed in an engine. */
    @Override
    public void close() {
        chains.values().forEach(Chain::close);
    }
}
