package dev.bastion.bench.traffic;

import dev.bastion.agent.lab.LabException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A traffic tool's server side, running in a container for one measurement and stopped afterwards. */
final class ServerProcess implements AutoCloseable {
    private final Process process;

    private ServerProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code argv} (an {@code ip netns exec NS ...} command line) and waits until it listens on TCP
     * {@code port}, checked with ss in the same namespace: a probe connection would use up iperf3's one-off
     * session. For UDP ({@code port} -1) it waits a short settle time.
     */
    static ServerProcess start(List<String> argv, int port) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ServerProcess server = new ServerProcess(p);
            if (port < 0) {
                Thread.sleep(300);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (port > 0 && p.isAlive() && !listens(argv, port)) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new LabException("server " + argv + " did not listen on port " + port + " within 5 s");
                }
                Thread.sleep(50);
            }
            if (!p.isAlive()) {
                throw new LabException("server " + argv + " exited with " + p.exitValue());
            }
            return server;
        } catch (IOException e) {
            throw new LabException("cannot start " + argv + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

    private static boolean listens(List<String> serverArgv, int port) {
        List<String> ss = new ArrayList<>(serverArgv.subList(0, 4));
        ss.addAll(List.of("ss", "-Hltn", "sport = :" + port));
        String out = run(ss);
        return out != null && !out.isBlank();
    }

    /** Runs the client to completion and returns its output (stdout and stderr). */
    String client(List<String> argv) {
        String out = run(argv);
        if (out == null) {
            throw new LabException("client " + argv + " failed");
        }
        return out;
    }

    private static String run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
