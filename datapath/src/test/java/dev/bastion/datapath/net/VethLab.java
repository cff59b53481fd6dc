package dev.bastion.datapath.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces, A and B, joined by a veth pair whose ends have addresses {@link #IP_A} and
 * {@link #IP_B}. Names carry a random suffix; closing deletes the namespaces and with them the veth.
 * Tests only: builds with the `ip` command.
 */
public final class VethLab implements AutoCloseable {
    public static final String IP_A = "10.99.0.1";
    public static final String IP_B = "10.99.0.2";

    public final String namespaceA;
    public final String namespaceB;
    /** The veth end in namespace A, and its peer in B. */
    public final String vethA;
    public final String vethB;

    public VethLab() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        namespaceA = "bxa-" + suffix;
        namespaceB = "bxb-" + suffix;
        vethA = "bxa" + suffix;
        vethB = "bxb" + suffix;
        try {
            ip("netns", "add", namespaceA);
            ip("netns", "add", namespaceB);
            ip("-n", namespaceA, "link", "add", vethA, "type", "veth", "peer", "name", vethB, "netns", namespaceB);
            ip("-n", namespaceA, "addr", "add", IP_A + "/24", "dev", vethA);
            ip("-n", namespaceB, "addr", "add", IP_B + "/24", "dev", vethB);
            ip("-n", namespaceA, "link", "set", vethA, "up");
            ip("-n", namespaceB, "link", "set", vethB, "up");
            ip("-n", namespaceA, "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Pings {@link #IP_A} from namespace B; true if every echo was answered. */
    public boolean pingAFromB(int count) {
        return exec(List.of("ip", "netns", "exec", namespaceB, "ping", "-c", String.valueOf(count), "-i", "0.2",
                "-W", "2", IP_A)).exitCode == 0;
    }

    /** Runs a command in a namespace and returns its output, failing on a non-zero exit. */
    public static String execIn(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return check(full);
    }

    /** Runs `ip ARGS`, failing on a non-zero exit. */
    public static void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        check(command);
    }

    @Override
    public void close() {
        exec(List.of("ip", "netns", "del", namespaceA));
        exec(List.of("ip", "netns", "del", namespaceB));
    }

    private static String check(List<String> command) {
        Result result = exec(command);
        if (result.exitCode != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command) + ": " + result.output);
        }
        return result.output;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
