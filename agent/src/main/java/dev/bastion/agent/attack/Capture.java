package dev.bastion.agent.attack;

import dev.bastion.agent.lab.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * tcpdump writing what one interface sees to a file, for the suite to count afterwards: the proof of an attack's
 * effect is what arrived where. Immediate mode, because by default tcpdump hands packets over in blocks that
 * may still be pending when the capture is stopped.
 */
final class Capture implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on");
    private static final Duration SETTLE = Duration.ofMillis(300);

    private final Background tcpdump;
    private final Path file;
    private final Shell shell;

    private Capture(Background tcpdump, Path file, Shell shell) {
        this.tcpdump = tcpdump;
        this.file = file;
        this.shell = shell;
    }

    /** Starts tcpdump through {@code inNamespace} (the command prefix of the capturing side). */
    static Capture start(List<String> inNamespace, String iface, String filter, Path file, Shell shell) {
        List<String> argv = new ArrayList<>(inNamespace);
        argv.addAll(List.of("tcpdump", "-i", iface, "--immediate-mode", "-U", "-n", "-Z", "root", "-w", file.toString(), filter));
        Background tcpdump = Background.start("tcpdump on " + iface, argv);
        tcpdump.await(LISTENING, Duration.ofSeconds(5));
        return new Capture(tcpdump, file, shell);
    }

    /** Stops capturing, after a moment for packets still in flight. Idempotent. */
    void stop() {
        if (tcpdump.alive()) {
            sleep(SETTLE);
            tcpdump.close();
        }
    }

    /** One line per captured packet that matches {@code filter} (a pcap filter; empty for all). */
    List<String> packets(String filter, String... flags) {
        stop();
        List<String> argv = new ArrayList<>(List.of("tcpdump", "-r", file.toString(), "-nn"));
        argv.addAll(List.of(flags));
        if (!filter.isEmpty()) {
            argv.add(filter);
        }
        return shell.run(argv).lines().filter(l -> !l.isBlank()).toList();
    }

    long count(String filter) {
        return packets(filter).size();
    }

    /** Whether some captured payload holds {@code text} (printed as ASCII by tcpdump -A). */
    boolean carries(String text) {
        return packets("", "-A").stream().anyMatch(l -> l.contains(text));
    }

    @Override
    public void close() {
        tcpdump.close();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
