package dev.bastion.bench.bridge;

import static dev.bastion.bench.bridge.BridgeBenchLab.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.bench.report.MarkdownTable;
import dev.bastion.bench.report.Samples;
import dev.bastion.bridge.Bridge;
import dev.bastion.chain.engine.ChainEngine;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One iperf3 TCP stream between two protected containers (XDP mode), steered through the AF_XDP bridge with
 * an empty chain against the same flow left to the datapath's in-kernel redirect, rounds interleaved.
 *
 * <pre>java -cp "bench/target/bastion-bench.jar:bench/target/lib/*" dev.bastion.bench.bridge.BridgeTcpBenchmark
 *     [--rounds 3] [--seconds 5]</pre>
 */
public final class BridgeTcpBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BridgeTcpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int seconds = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Samples steered = new Samples();
        Samples kernel = new Samples();
        try (BridgeBenchLab lab = new BridgeBenchLab()) {
            lab.protectForTcp();
            for (int round = 1; round <= rounds; round++) {
                lab.steerTcp(false);
                kernel.add(iperf3(lab, seconds));
                steered.add(throughBridge(lab, seconds));
            }
        }
        MarkdownTable table = new MarkdownTable("TCP flow (iperf3, one stream)", "median Gbit/s", "min", "max",
                "vs unsteered");
        double reference = kernel.median();
        table.row("unsteered (XDP redirect in the kernel)", gbps(kernel.median()), gbps(kernel.min()),
                gbps(kernel.max()), "1.00");
        table.row("steered, bridge with an empty chain", gbps(steered.median()), gbps(steered.min()),
                gbps(steered.max()), String.format("%.2f", steered.median() / reference));
        System.out.println(table);
        System.out.printf("%d rounds of %d s%n", rounds, seconds);
    }

    private static double throughBridge(BridgeBenchLab lab, int seconds) throws Exception {
        try (ChainEngine engine = BridgeBenchLab.emptyChainEngine(); Bridge bridge = lab.startBridge(engine)) {
            lab.steerTcp(true);
            double rate = iperf3(lab, seconds);
            lab.steerTcp(false);
            System.out.println("bridge: " + bridge.counters() + ", kernel: " + bridge.kernelStatistics());
            return rate;
        }
    }

    /** Bits per second the receiver counted for one stream of {@code seconds}. */
    private static double iperf3(BridgeBenchLab lab, int seconds) throws IOException, InterruptedException {
        Process server = new ProcessBuilder("ip", "netns", "exec", lab.sink, "iperf3", "-s", "-1", "-B",
                BridgeBenchLab.SINK_IP, "-p", String.valueOf(BridgeBenchLab.TCP_PORT))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            String out = run("ip", "netns", "exec", lab.source, "iperf3", "-c", BridgeBenchLab.SINK_IP, "-p",
                    String.valueOf(BridgeBenchLab.TCP_PORT), "-t", String.valueOf(seconds), "-J");
            JsonNode received = JSON.readTree(out).path("end").path("sum_received");
            if (received.isMissingNode()) {
                throw new IllegalStateException("iperf3 gave no result: " + out.lines().limit(5).toList());
            }
            return received.path("bits_per_second").asDouble();
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String gbps(double bitsPerSecond) {
        return String.format("%.2f", bitsPerSecond / 1e9);
    }
}
