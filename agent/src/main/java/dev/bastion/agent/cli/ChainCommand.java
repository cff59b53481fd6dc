package dev.bastion.agent.cli;

import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code bastion chain validate|explain}: check chain files and see which chain takes a flow. */
@Command(name = "chain", description = "Validate security chain files and explain which chain takes a flow.",
        subcommands = {ChainValidateCommand.class, ChainExplainCommand.class})
final class ChainCommand {

    /** The built-in functions plus those of the plugin jars in {@code plugins} (if given). */
    static FunctionRegistry registry(Path plugins) throws FunctionRegistryException {
        return FunctionRegistry.load(ChainCommand.class.getClassLoader(), plugins);
    }
}
