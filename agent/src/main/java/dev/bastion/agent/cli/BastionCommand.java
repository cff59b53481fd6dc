package dev.bastion.agent.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bastion} command line. */
@Command(name = "bastion", mixinStandardHelpOptions = true, version = "bastion 0.1.0",
        description = "Container network security: per-container XDP enforcement and security function chaining.",
        subcommands = {AgentCommand.class, StatusCommand.class, FlowsCommand.class, AlertsCommand.class,
            LabCommand.class, DemoCommand.class, PolicyCommand.class,
            ChainCommand.class,
            CommandLine.HelpCommand.class})
public final class BastionCommand {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI on the process's standard streams and returns its exit code (see {@link ExitCodes}). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with the given output and error streams. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new BastionCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> ExitCodes.FAILED);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCodes.INVALID_INPUT;
        });
        return cli.execute(args);
    }
}
