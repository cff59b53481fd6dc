package dev.bastion.agent.cli;

import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --plugins DIR} option of the chain commands, and the function registry it gives. */
final class ChainCommandPlugins {
    @Option(names = "--plugins", paramLabel = "DIR", description = "Directory of plugin jars with more functions.")
    Path directory;

    /** The built-in functions plus those of the plugin jars (if a directory was given). */
    FunctionRegistry registry() throws FunctionRegistryException {
        return FunctionRegistry.load(ChainCommand.class.getClassLoader(), directory);
    }
}
