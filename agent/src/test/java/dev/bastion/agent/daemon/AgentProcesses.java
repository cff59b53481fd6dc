package dev.bastion.agent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code bastion} processes for tests that run the CLI as operators do (the test's class path, its own JVM), each
 * with its output in a log file under one directory; {@link #close} kills what is still running.
 */
final class AgentProcesses implements AutoCloseable {
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    AgentProcesses(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code bastion ARGS} in network namespace {@code namespace} with {@code env}, its output in {@code log}. */
    Process startIn(String namespace, Map<String, String> env, List<String> args, String log) throws IOException {
        // nsenter, not "ip netns exec": the latter remounts /sys, hiding bpffs and the agent's pins.
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace, "--"));
        argv.addAll(bastion(args));
        return start(argv, env, log);
    }

    /** Runs {@code bastion ARGS} in the test's own namespace. */
    Process start(Map<String, String> env, List<String> args, String log) throws IOException {
        return start(bastion(args), env, log);
    }

    /**
     * Runs {@code bastion agent --uninstall} for each of {@code nodes} under pin root {@code pins}, then removes
     * the root (a test's own); nothing to do when the agents never pinned anything.
     */
    void uninstall(Path pins, List<String> nodes) throws IOException, InterruptedException {
        if (pins == null || !Files.exists(pins)) {
            return;
        }
        for (String node : nodes) {
            start(Map.of("BASTION_DATAPATH_PIN_ROOT", pins.toString(), "BASTION_NODE", node),
                    List.of("agent", "--uninstall"), "uninstall-" + node + ".log").waitFor(60, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(pins); // --uninstall empties only the nodes' parts
    }

    /** What a process wrote so far, "" before it wrote anything. */
    String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits up to 60 s for {@code condition}; the failure shows the logs named. */
    void await(BooleanSupplier condition, String what, String... logs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder message = new StringBuilder("timed out waiting for: " + what);
                for (String log : logs) {
                    message.append("\n").append(log).append(":\n").append(log(log));
                }
                throw new AssertionError(message.toString());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(List<String> argv, Map<String, String> env, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static List<String> bastion(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.bastion.agent.cli.BastionCommand"));
        argv.addAll(args);
        return argv;
    }
}
