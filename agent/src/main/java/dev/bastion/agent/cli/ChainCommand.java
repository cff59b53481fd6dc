package dev.bastion.agent.cli;

import picocli.CommandLine.Command;

/** {@code bastion chain validate|explain}: check chain files and see which chain takes a flow. */
@Command(name = "chain", mixinStandardHelpOptions = true,
        description = "Validate security chain files and explain which chain takes a flow.",
        subcommands = {ChainValidateCommand.class, ChainExplainCommand.class})
final class ChainCommand {
}
