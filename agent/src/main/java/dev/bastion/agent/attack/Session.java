package dev.bastion.agent.attack;

import java.time.Duration;
import java.util.regex.Pattern;

/** A long-lived TCP session (session.py) of a client: alive as long as its process is. */
final class Session implements AutoCloseable {
    private static final Pattern ESTABLISHED = Pattern.compile("^established (\\d+)");

    private final Background process;
    private final int localPort;

    Session(Background process) {
        this.process = process;
        this.localPort = Integer.parseInt(process.await(ESTABLISHED, Duration.ofSeconds(10)).group(1));
    }

    int localPort() {
        return localPort;
    }

    /** Whether the session is still up after waiting up to {@code grace} for it to end. */
    boolean survives(Duration grace) {
        return !process.awaitExit(grace);
    }

    /** What the client said when its session ended, or that it has not. */
    String state() {
        return process.lines().stream().filter(l -> l.startsWith("closed")).findFirst().orElse("still established");
    }

    @Override
    public void close() {
        process.close();
    }
}
