package dev.bastion.agent.cli;

import dev.bastion.agent.config.Setting;
import dev.bastion.agent.suricata.SuricataFunctionFactory;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the chain commands that say where functions come from, and the function registry they give. */
final class ChainCommandPlugins {
    @Option(names = "--plugins", paramLabel = "DIR", description = "Directory of plugin jars with more functions.")
    Path directory;

    @Option(names = "--suricata-rules", paramLabel = "DIR",
            description = "Directory of the rule files suricata functions name (default: ${DEFAULT-VALUE}).")
    Path suricataRules = Path.of(Setting.SURICATA_RULES.defaultValue());

    /**
     * The built-in functions, those of the plugin jars (if a directory was given), and {@code suricata}, checked
     * against the rule directory without starting Suricata.
     */
    FunctionRegistry registry() throws FunctionRegistryException {
        return FunctionRegistry.load(ChainCommand.class.getClassLoader(), directory)
                .with(SuricataFunctionFactory.forValidation(suricataRules));
    }
}
