package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.chain.definition.ChainDefinition;
import dev.bastion.chain.definition.FunctionUse;
import dev.bastion.chain.definition.ChainLoader;
import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import dev.bastion.policies.source.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bastion chain validate DIR [--inventory FILE] [--plugins DIR] [--json]}. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate every chain file of a directory together, as the agent would "
        + "before loading them. Exit 0 if valid, 1 if not (every problem listed as FILE:LINE: FIELD: message), "
        + "2 on bad arguments or an unreadable inventory or directory.")
final class ChainValidateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory of chain files (*.yaml, *.yml).")
    Path directory;

    @Option(names = "--inventory", paramLabel = "FILE",
            description = "Inventory whose container sets, microservices and services the chains may name; "
                    + "without it names are not checked and overlaps are judged on the selectors alone.")
    Path inventoryFile;

    @Mixin
    ChainCommandPlugins plugins;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Inventory> inventory = Optional.empty();
        if (inventoryFile != null) {
            inventory = InventoryFiles.load(inventoryFile, err);
            if (inventory.isEmpty()) {
                return ExitCodes.INVALID_INPUT;
            }
        }
        try (FunctionRegistry registry = plugins.registry();
             LoadedChains chains = ChainLoader.load(directory, registry, inventory)) {
            if (json) {
                ObjectNode root = JSON.createObjectNode().put("valid", true);
                ArrayNode list = root.putArray("chains");
                chains.definitions().forEach(d -> describe(list.addObject(), d));
                out.println(root.toPrettyString());
            } else {
                out.printf("%s: %d chain%s valid%s%n", directory, chains.definitions().size(),
                        chains.definitions().size() == 1 ? "" : "s",
                        inventory.isPresent() ? " against " + inventoryFile : " (names not checked: no --inventory)");
                chains.definitions().forEach(d -> out.println("  " + summary(d)));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (InvalidSourceException e) {
            report(out, err, e.problems());
            return ExitCodes.FAILED;
        } catch (IOException | FunctionRegistryException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return ExitCodes.INVALID_INPUT;
        }
    }

    private void report(PrintWriter out, PrintWriter err, List<Problem> problems) {
        if (json) {
            ObjectNode root = JSON.createObjectNode().put("valid", false);
            ArrayNode list = root.putArray("problems");
            problems.forEach(p -> list.addObject().put("file", p.file().toString()).put("line", p.line())
                    .put("field", p.field()).put("message", p.message()));
            out.println(root.toPrettyString());
            out.flush();
            return;
        }
        err.println(directory + ": invalid, " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "; nothing would be loaded:");
        problems.forEach(p -> err.println("  " + p));
        err.flush();
    }

    private static String summary(ChainDefinition d) {
        return String.format("%s (%s): %s -> %s; functions [%s]; fail-%s; inspect %s; priority %s", d.name(),
                d.location(), d.context(), d.flows(), names(d.functions()),
                d.failureMode().name().toLowerCase(Locale.ROOT), d.inspect(),
                d.priority().isPresent() ? String.valueOf(d.priority().getAsInt()) : "0 (default)");
    }

    private static void describe(ObjectNode node, ChainDefinition d) {
        node.put("name", d.name()).put("file", d.file().toString()).put("line", d.line())
                .put("failureMode", d.failureMode().name().toLowerCase(Locale.ROOT))
                .put("inspect", d.inspect().toString()).put("budgetNanos", d.budget().toNanos())
                .put("priority", d.effectivePriority()).put("context", d.context().toString())
                .put("flows", d.flows().toString());
        ArrayNode functions = node.putArray("functions");
        d.functions().forEach(f -> functions.add(f.name()));
    }

    private static String names(List<FunctionUse> functions) {
        return functions.stream().map(FunctionUse::name).collect(Collectors.joining(", "));
    }
}
