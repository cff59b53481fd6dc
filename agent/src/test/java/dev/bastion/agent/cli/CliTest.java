package dev.bastion.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** For tests of CLI commands: runs {@code bastion ARGS} in-process and keeps what it printed. */
abstract class CliTest {
    protected final StringWriter out = new StringWriter();
    protected final StringWriter err = new StringWriter();

    protected int bastion(String... args) {
        return BastionCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
