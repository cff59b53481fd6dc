package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.chain.compile.ChainExplainer;
import dev.bastion.chain.compile.Explanation;
import dev.bastion.chain.definition.ChainLoader;
import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bastion chain explain --chains DIR --inventory FILE SRC DST PROTO/PORT [--json]}. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Say which chain takes a flow from SRC to DST, with which functions, and "
        + "why; or why no chain does. SRC and DST are container names or IPs, the flow e.g. tcp/6379. Exit 0 with "
        + "an answer, 2 if the chains, the inventory or the arguments are rejected.")
final class ChainExplainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--chains", paramLabel = "DIR", required = true, description = "Directory of chain files.")
    Path chainsDirectory;

    @Option(names = "--inventory", paramLabel = "FILE", required = true, description = "Inventory file.")
    Path inventoryFile;

    @Mixin
    ChainCommandPlugins plugins;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Parameters(index = "0", paramLabel = "SRC", description = "Source container (name or IP).")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Destination container (name or IP).")
    String destination;

    @Parameters(index = "2", paramLabel = "PROTO/PORT", description = "Protocol and port, e.g. tcp/6379.")
    String flow;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Inventory> inventory = InventoryFiles.load(inventoryFile, err);
        if (inventory.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        try (FunctionRegistry registry = plugins.registry();
             LoadedChains chains = ChainLoader.load(chainsDirectory, registry, inventory)) {
            Explanation e = ChainExplainer.explain(chains.definitions(), inventory.get(),
                    DependencyExtractor.extract(inventory.get()), source, destination, flow);
            if (json) {
                out.println(toJson(e).toPrettyString());
            } else {
                printText(out, e);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (InvalidSourceException e) {
            err.println("error: " + chainsDirectory + " was rejected:");
            e.problems().forEach(p -> err.println("  " + p));
        } catch (IOException | FunctionRegistryException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
        }
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    private static void printText(PrintWriter out, Explanation e) {
        String flowText = e.source() + " -> " + e.destination() + " " + e.flow();
        if (e.chain().isPresent()) {
            out.printf("%s: chain %s (%s)%n", flowText, e.chain().get(), e.file().orElse(""));
            out.printf("  functions:    %s%n", e.functions().isEmpty() ? "none (counted only)"
                    : String.join(" -> ", e.functions()));
            out.printf("  failure mode: %s%n", e.failureMode().orElse(""));
            out.printf("  inspects:     %s%n", e.inspect().orElse(""));
        } else {
            out.printf("%s: no chain (%s)%n", flowText, e.allowedByPolicy() ? "forwarded without steering"
                    : "denied by policy");
        }
        out.println("  why:");
        e.reasons().forEach(r -> out.println("    - " + r));
    }

    private static ObjectNode toJson(Explanation e) {
        ObjectNode root = JSON.createObjectNode().put("source", e.source()).put("destination", e.destination())
                .put("flow", e.flow()).put("allowedByPolicy", e.allowedByPolicy());
        if (e.chain().isPresent()) {
            root.put("chain", e.chain().get()).put("file", e.file().orElse(""))
                    .put("failureMode", e.failureMode().orElse("")).put("inspect", e.inspect().orElse(""));
            e.functions().forEach(root.putArray("functions")::add);
        } else {
            root.putNull("chain");
        }
        e.reasons().forEach(root.putArray("reasons")::add);
        return root;
    }
}
