package dev.bastion.agent.lab;

import dev.bastion.policies.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis in a lab container (Debian's redis-server, nothing saved to disk) and redis-cli in another: the
 * traffic the Redis chains of the examples inspect.
 */
public final class LabRedis {
    public static final int PORT = 6379;
    /** What {@link #command} answers when the server said nothing within the timeout. */
    public static final String NO_ANSWER = "(no answer)";
    private static final long START_SECONDS = 10;

    private LabRedis() {
    }

    /**
     * Starts redis-server on {@code ip}:{@value #PORT} in {@code container} and returns once it answers a PING
     * from inside the container; the caller destroys the process.
     */
    public static Process serve(Lab lab, Container container, String ip) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(lab.inContainer(container, List.of("redis-server", "--bind", ip,
                "--port", Integer.toString(PORT), "--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--daemonize", "no", "--dir", "/tmp", "--loglevel", "warning")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!"PONG".equals(command(lab, container, ip, 1, List.of("PING")))) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                server.destroyForcibly();
                throw new LabException("redis-server did not start in " + container.name() + " on " + ip);
            }
            Thread.sleep(100);
        }
        return server;
    }

    /**
     * Sends one command with redis-cli from {@code from} to the server on {@code ip}; returns the server's answer
     * (as redis-cli prints it, without quotes), or {@link #NO_ANSWER} if none came within {@code seconds}.
     */
    public static String command(Lab lab, Container from, String ip, int seconds, List<String> words) {
        List<String> argv = new ArrayList<>(List.of("timeout", Integer.toString(seconds), "redis-cli", "--raw",
                "-h", ip, "-p", Integer.toString(PORT)));
        argv.addAll(words);
        try {
            Process cli = new ProcessBuilder(lab.inContainer(from, argv)).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!cli.waitFor(seconds + 10L, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                return NO_ANSWER;
            }
            return cli.exitValue() == 0 && !out.isEmpty() ? out : NO_ANSWER;
        } catch (IOException e) {
            throw new UncheckedIOException("running redis-cli in " + from.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while redis-cli ran in " + from.name());
        }
    }
}
