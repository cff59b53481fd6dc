package dev.bastion.datapath.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.datapath.enforce.BridgeLab.Container;
import dev.bastion.datapath.net.VethLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One iperf3 TCP flow between lab containers at a fixed rate: a one-off server in the server's namespace, a client
 * reporting in JSON with the server's own report included. Both run on CPU 0: segments of one flow sent from two
 * CPUs can overtake each other, and TCP then retransmits what was never lost. Closing kills whatever still runs.
 */
final class Iperf3Flow implements AutoCloseable {
    static final double INTERVAL_SECONDS = 0.5;

    /** A stretch of the flow as the server saw it. */
    record Interval(double start, double seconds, long bytes) {
    }

    /** iperf3's summary: sender's duration, bytes and retransmits, receiver's bytes and intervals. */
    record Report(String error, double seconds, long sent, long received, long retransmits,
            List<Interval> receivedIntervals) {
    }

    private final int seconds;
    private final Process server;
    private Process client;
    private CompletableFuture<String> output;

    private Iperf3Flow(int seconds, Process server) {
        this.seconds = seconds;
        this.server = server;
    }

    static Iperf3Flow start(Container from, Container to, int port, int seconds, String rate) {
        String interval = Double.toString(INTERVAL_SECONDS);
        Iperf3Flow flow = new Iperf3Flow(seconds, launch(List.of("ip", "netns", "exec", to.namespace(), "taskset",
                "-c", "0", "iperf3", "-s", "-1", "-J", "-i", interval, "-B", to.ip(), "-p", Integer.toString(port)),
                ProcessBuilder.Redirect.DISCARD));
        try {
            flow.awaitListening(to, port);
            flow.client = launch(List.of("ip", "netns", "exec", from.namespace(), "taskset", "-c", "0", "iperf3",
                    "-c", to.ip(), "-p", Integer.toString(port), "-t", Integer.toString(seconds), "-b", rate, "-i",
                    interval, "-J", "--get-server-output"), ProcessBuilder.Redirect.PIPE);
            flow.output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(flow.client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("reading iperf3's report", e);
                }
            });
            return flow;
        } catch (RuntimeException e) {
            flow.close();
            throw e;
        }
    }

    /** Waits for the listening socket with ss: a probe connection would use up the one-off server's session. */
    private void awaitListening(Container to, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (VethLab.execIn(to.namespace(), "ss", "-Hltn", "sport = :" + port).isBlank()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("iperf3 server in " + to.namespace() + " does not listen on " + port);
            }
            Thread.onSpinWait();
        }
    }

    /** The most a flow can hold in socket buffers: the sender's largest send plus the receiver's largest receive. */
    static long socketBuffersAtMost(Container from, Container to) {
        return largest(from, "tcp_wmem") + largest(to, "tcp_rmem");
    }

    private static long largest(Container container, String sysctl) {
        String[] minDefaultMax = VethLab.execIn(container.namespace(), "cat", "/proc/sys/net/ipv4/" + sysctl).trim()
                .split("\\s+");
        return Long.parseLong(minDefaultMax[2]);
    }

    boolean running() {
        return client.isAlive();
    }

    /** The report, once the flow has ended. */
    Report report() throws Exception {
        String json = output.get(seconds + 15L, TimeUnit.SECONDS);
        if (!client.waitFor(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("iperf3 client did not exit after its report");
        }
        JsonNode report = new ObjectMapper().readTree(json);
        JsonNode sent = report.path("end").path("sum_sent");
        List<Interval> intervals = new ArrayList<>();
        for (JsonNode interval : report.path("server_output_json").path("intervals")) {
            JsonNode sum = interval.path("sum");
            intervals.add(new Interval(sum.path("start").asDouble(), sum.path("seconds").asDouble(),
                    sum.path("bytes").asLong()));
        }
        return new Report(report.path("error").asText(""), sent.path("seconds").asDouble(), sent.path("bytes")
                .asLong(), report.path("end").path("sum_received").path("bytes").asLong(), sent.path("retransmits")
                .asLong(), intervals);
    }

    private static Process launch(List<String> command, ProcessBuilder.Redirect output) {
        try {
            return new ProcessBuilder(command).redirectOutput(output).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command, e);
        }
    }

    @Override
    public void close() {
        for (Process process : client == null ? List.of(server) : List.of(client, server)) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
