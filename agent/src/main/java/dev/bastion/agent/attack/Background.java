package dev.bastion.agent.attack;

import dev.bastion.agent.lab.LabException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the suite keeps running while it attacks (a listener, a capture, a session, a poisoning loop), with
 * its output (stdout and stderr together) collected line by line. Closing it ends the process.
 */
final class Background implements AutoCloseable {
    private final String label;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean outputEnded;

    private Background(String label, Process process) {
        this.label = label;
        this.process = process;
        Thread reader = new Thread(this::collect, "output of " + label);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code argv}; {@code label} names it in errors (a command line may hold a whole script). */
    static Background start(String label, List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new Background(label, p);
        } catch (IOException e) {
            throw new LabException("cannot run " + label + " (" + argv.get(0) + "): " + e.getMessage() + "; run scripts/bootstrap");
        }
    }

    /** Waits until a line matches {@code pattern}; ends the process and fails if none does in time. */
    Matcher await(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    Matcher m = pattern.matcher(lines.get(seen));
                    if (m.find()) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || outputEnded) {
                    break;
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
        throw new LabException(label + " did not print /" + pattern + "/ within " + timeout.toMillis()
                + " ms; it printed: " + String.join(" | ", lines()));
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the process to end by itself; whether it did. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(3))) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(3));
            }
        }
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process was ended: what it printed until then is kept.
        } finally {
            synchronized (lines) {
                outputEnded = true;
                lines.notifyAll();
            }
        }
    }
}
