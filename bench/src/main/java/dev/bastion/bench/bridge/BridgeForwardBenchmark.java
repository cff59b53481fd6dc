package dev.bastion.bench.bridge;

import static dev.bastion.bench.bridge.BridgeBenchLab.run;

import dev.bastion.bench.report.MarkdownTable;
import dev.bastion.bench.report.Samples;
import dev.bastion.bridge.Bridge;
import dev.bastion.chain.engine.ChainEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Packets per second through the AF_XDP bridge with an empty chain against a minimal C AF_XDP forwarder
 * (bench/src/main/c/bridge_forward.c, libxdp) on the same veths, in one run, rounds interleaved. 64-byte UDP
 * frames of one flow come from bridge_flood (AF_PACKET) in a source container, are steered by bastion_xdp
 * into the forwarder's socket, and are counted at the sink's eth0. Root; needs gcc, libxdp-dev, libbpf-dev.
 *
 * <pre>java -cp "bench/target/bastion-bench.jar:bench/target/lib/*" dev.bastion.bench.bridge.BridgeForwardBenchmark
 *     [--rounds 3] [--seconds 5] [--sources bench/src/main/c]</pre>
 */
public final class BridgeForwardBenchmark {
    private static final Duration WARM_UP = Duration.ofSeconds(2);

    private final BridgeBenchLab lab;
    private final Path tools;
    private final int seconds;

    private BridgeForwardBenchmark(BridgeBenchLab lab, Path tools, int seconds) {
        this.lab = lab;
        this.tools = tools;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int seconds = 5;
        Path sources = Path.of("bench/src/main/c");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--sources" -> sources = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path tools = Files.createTempDirectory("bridge-bench");
        run("gcc", "-O2", "-Wall", "-o", tools.resolve("bridge_forward").toString(),
                sources.resolve("bridge_forward.c").toString(), "-lxdp", "-lbpf");
        run("gcc", "-O2", "-Wall", "-o", tools.resolve("bridge_flood").toString(),
                sources.resolve("bridge_flood.c").toString());
        Map<String, Samples> results = new LinkedHashMap<>();
        Samples offered = new Samples();
        try (BridgeBenchLab lab = new BridgeBenchLab()) {
            BridgeForwardBenchmark benchmark = new BridgeForwardBenchmark(lab, tools, seconds);
            Process flood = benchmark.flood();
            try {
                for (int round = 1; round <= rounds; round++) {
                    results.computeIfAbsent("Java bridge, empty chain", k -> new Samples())
                            .add(benchmark.javaBridge(offered));
                    results.computeIfAbsent("C forwarder (libxdp)", k -> new Samples())
                            .add(benchmark.cForwarder(offered));
                }
            } finally {
                flood.destroy();
                flood.waitFor(5, TimeUnit.SECONDS);
            }
        }
        MarkdownTable table = new MarkdownTable("forwarder", "median pps", "min", "max", "vs C");
        double reference = results.get("C forwarder (libxdp)").median();
        results.forEach((name, samples) -> table.row(name, kpps(samples.median()), kpps(samples.min()),
                kpps(samples.max()), String.format("%.2f", samples.median() / reference)));
        System.out.println(table);
        System.out.printf("offered load (source eth0 TX): median %s pps; %d rounds of %d s, 64-byte frames%n",
                kpps(offered.median()), rounds, seconds);
    }

    private Process flood() throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", lab.source, tools.resolve("bridge_flood").toString(),
                "eth0", BridgeBenchLab.SOURCE_MAC, BridgeBenchLab.SINK_MAC, BridgeBenchLab.SOURCE_IP,
                BridgeBenchLab.SINK_IP, String.valueOf(BridgeBenchLab.PORT))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private double javaBridge(Samples offered) throws InterruptedException {
        try (ChainEngine engine = BridgeBenchLab.emptyChainEngine(); Bridge bridge = lab.startBridge(engine)) {
            double pps = measure(offered);
            System.out.println("java bridge: " + bridge.counters() + ", kernel: " + bridge.kernelStatistics());
            return pps;
        }
    }

    private double cForwarder(Samples offered) throws IOException, InterruptedException {
        // nsenter, not `ip netns exec`: that remounts /sys, which hides the pinned map under /sys/fs/bpf.
        Process forwarder = new ProcessBuilder("nsenter", "--net=/run/netns/" + lab.node,
                tools.resolve("bridge_forward").toString(), lab.sourceHostVeth, lab.sinkHostVeth,
                lab.datapath.pins().resolve("xsks").toString(), String.valueOf(BridgeBenchLab.SOURCE_ID),
                BridgeBenchLab.SINK_MAC).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(forwarder.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            String ready = output.readLine();
            if (!"ready".equals(ready)) {
                throw new IllegalStateException("bridge_forward did not start: " + ready);
            }
            return measure(offered);
        } finally {
            // SIGTERM through the handle: Process.destroy would also close the output it prints at exit.
            forwarder.toHandle().destroy();
            forwarder.waitFor(5, TimeUnit.SECONDS);
            System.out.println("C forwarder: " + output.readLine());
            forwarder.destroyForcibly();
        }
    }

    /** Frames per second arriving at the sink after the warm-up; also records the offered rate. */
    private double measure(Samples offered) throws InterruptedException {
        Thread.sleep(WARM_UP.toMillis());
        long received = lab.sinkReceived();
        long sent = lab.sourceSent();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        offered.add((lab.sourceSent() - sent) / elapsed);
        return (lab.sinkReceived() - received) / elapsed;
    }

    private static String kpps(double pps) {
        return String.format("%,.0f", pps);
    }
}
