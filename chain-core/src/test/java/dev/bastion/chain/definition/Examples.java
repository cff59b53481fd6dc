package dev.bastion.chain.definition;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.util.Optional;

/** The repository's example topologies and chains, loaded with stand-ins for the built-in functions. */
public final class Examples {
    public static final Path ROOT = Path.of("..", "examples");
    static final String[] BUILT_IN = {"l4-guard", "redis-acl", "signature", "http-filter", "rate-limit", "suricata"};

    private Examples() {
    }

    public static Inventory topology(String name) throws Exception {
        return InventoryReader.read(ROOT.resolve("topologies").resolve(name + ".yaml"));
    }

    public static LoadedChains chains(String name, Inventory inventory) throws Exception {
        return ChainLoader.load(ROOT.resolve("chains").resolve(name), TestFunctions.create().registry(BUILT_IN),
                Optional.of(inventory));
    }
}
