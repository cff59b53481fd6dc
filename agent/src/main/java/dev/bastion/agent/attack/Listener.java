package dev.bastion.agent.attack;

import java.time.Duration;
import java.util.regex.Pattern;

/** A line service (listener.py) on one port: it logs every connection's source, the proof that someone got in. */
final class Listener implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("^listening \\d+");

    private final Background process;

    Listener(Background process) {
        this.process = process;
        process.await(READY, Duration.ofSeconds(10));
    }

    /** How many connections from {@code ip} were accepted so far. */
    long connectionsFrom(String ip) {
        return process.lines().stream().filter(l -> l.equals("conn " + ip)).count();
    }

    @Override
    public void close() {
        process.close();
    }
}
