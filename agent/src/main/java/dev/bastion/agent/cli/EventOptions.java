package dev.bastion.agent.cli;

import picocli.CommandLine.Option;

/** How many recent events to show, and whether to keep watching: shared by {@code flows} and {@code alerts}. */
final class EventOptions {
    @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "How many recent events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;
}
