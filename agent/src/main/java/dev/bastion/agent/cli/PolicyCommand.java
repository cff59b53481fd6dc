package dev.bastion.agent.cli;

import picocli.CommandLine.Command;

/** {@code bastion policy deps|suggest}: what the policies allow, and what they should allow. */
@Command(name = "policy", description = "Inspect the dependency map of an inventory and get policy suggestions.",
        subcommands = {PolicyDepsCommand.class, PolicySuggestCommand.class})
final class PolicyCommand {
}
