package dev.bastion.chain.definition;

import dev.bastion.chain.engine.Chain;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.ExternalInspection;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import dev.bastion.policies.source.Problem;
import dev.bastion.policies.source.Problems;
import dev.bastion.policies.source.YamlFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads a directory of chain files ({@code *.yaml}, {@code *.yml}) as a whole: every file is read, every
 * function is created from its configuration, and every problem of every file is reported together. Nothing
 * is returned unless all of it is valid, so a bad file never changes what runs.
 */
public final class ChainLoader {
    private ChainLoader() {
    }

    /**
     * Validates and loads {@code directory}. With an inventory, container sets, microservices and services
     * named by chains must exist in it and overlaps are judged on its containers; without, names are not
     * checked and overlaps are judged on the selectors alone.
     */
    public static LoadedChains load(Path directory, FunctionRegistry registry, Optional<Inventory> inventory)
            throws IOException, InvalidSourceException {
        Problems problems = new Problems();
        List<ChainDefinition> definitions = new ArrayList<>();
        Optional<KnownNames> known = inventory.map(KnownNames::of);
        for (Path file : chainFiles(directory)) {
            try {
                new ChainReader(problems, known).read(YamlFile.read(file, problems)).ifPresent(definitions::add);
            } catch (InvalidSourceException e) {
                addOnce(problems, e.problems());
            }
        }
        checkUniqueNames(definitions, problems);
        checkOverlaps(definitions, inventory, problems);
        Map<String, Chain> chains = instantiate(definitions, registry, problems);
        if (!problems.isEmpty()) {
            new LoadedChains(definitions, chains).close();
            List<Problem> sorted = new ArrayList<>(new LinkedHashSet<>(problems.list()));
            sorted.sort(Comparator.comparing((Problem p) -> p.file().toString()).thenComparingInt(Problem::line));
            throw new InvalidSourceException(sorted);
        }
        return new LoadedChains(List.copyOf(definitions), chains);
    }

    /** Adds each problem not already recorded (typed getters and the YAML layer may both report one). */
    static void addOnce(Problems problems, List<Problem> found) {
        List<Problem> known = problems.list();
        for (Problem p : found) {
            if (!known.contains(p)) {
                problems.add(p);
            }
        }
    }

    /** The chain files of {@code directory} ({@code *.yaml}, {@code *.yml}), sorted. */
    public static List<Path> chainFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return Files.isRegularFile(f) && (name.endsWith(".yaml") || name.endsWith(".yml"));
            }).sorted().toList();
        }
    }

    private static void checkUniqueNames(List<ChainDefinition> definitions, Problems problems) {
        Map<String, ChainDefinition> seen = new LinkedHashMap<>();
        for (ChainDefinition d : definitions) {
            ChainDefinition earlier = seen.putIfAbsent(d.name(), d);
            if (earlier != null) {
                problems.add(new Problem(d.file(), d.line(), "name",
                        "chain '" + d.name() + "' is already defined at " + earlier.location()));
            }
        }
    }

    /** Chains that may take the same flow need explicit, distinct priorities, so the choice is never implicit. */
    private static void checkOverlaps(List<ChainDefinition> definitions, Optional<Inventory> inventory,
                                      Problems problems) {
        for (int i = 0; i < definitions.size(); i++) {
            for (int j = 0; j < i; j++) {
                ChainDefinition a = definitions.get(j);
                ChainDefinition b = definitions.get(i);
                if (a.priority().isPresent() && b.priority().isPresent()
                        && a.priority().getAsInt() != b.priority().getAsInt()) {
                    continue;
                }
                ChainOverlap.between(a, b, inventory).ifPresent(example -> problems.add(new Problem(b.file(),
                        b.line(), "priority", "chain '" + b.name() + "' overlaps chain '" + a.name() + "' ("
                        + a.location() + ") on " + example + "; give both an explicit, distinct priority")));
            }
        }
    }

    private static Map<String, Chain> instantiate(List<ChainDefinition> definitions, FunctionRegistry registry,
                                                  Problems problems) {
        Map<String, Chain> chains = new LinkedHashMap<>();
        for (ChainDefinition d : definitions) {
            List<Chain.NamedFunction> functions = new ArrayList<>();
            for (int i = 0; i < d.functions().size(); i++) {
                FunctionUse use = d.functions().get(i);
                Optional<SecurityFunction> function = create(d.name(), use, i, registry, problems);
                if (function.isPresent() && function.get() instanceof ExternalInspection
                        && i < d.functions().size() - 1) {
                    problems.add(new Problem(use.file(), use.line(), "functions[" + i + "].name", "'" + use.name()
                            + "' inspects outside the agent and must be the chain's last function"));
                    function.get().close();
                    continue;
                }
                function.ifPresent(f -> functions.add(new Chain.NamedFunction(use.name(), f)));
            }
            Chain chain = new Chain(d.name(), d.failureMode(), d.inspect(), d.budget(), functions);
            if (chains.putIfAbsent(d.name(), chain) != null) {
                chain.close(); // a second chain of that name, already reported
            }
        }
        return chains;
    }

    private static Optional<SecurityFunction> create(String chain, FunctionUse use, int index,
                                                     FunctionRegistry registry, Problems problems) {
        Optional<SecurityFunctionFactory> factory = registry.find(use.name());
        String field = "functions[" + index + "].name";
        if (factory.isEmpty()) {
            problems.add(new Problem(use.file(), use.line(), field, "unknown function '" + use.name()
                    + "' (available: " + String.join(", ", registry.names()) + ")"));
            return Optional.empty();
        }
        try {
            return Optional.of(factory.get().create(use.config().inChain(chain)));
        } catch (ConfigException e) {
            addOnce(problems, e.problems());
        } catch (RuntimeException e) {
            problems.add(new Problem(use.file(), use.line(), field,
                    "function '" + use.name() + "' failed to start: " + e));
        }
        return Optional.empty();
    }
}
