package dev.bastion.bench;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bench.experiment.TrafficMeasurement;
import dev.bastion.bench.experiment.TrafficMeasurement.Figures;
import dev.bastion.bench.report.LineChart;
import dev.bastion.bench.report.MarkdownTable;
import dev.bastion.bench.setup.IptablesPolicies;
import dev.bastion.bench.setup.NetworkSetup;
import dev.bastion.bench.setup.PlainBridge;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run}: runs the experiments in the lab and writes results.md and PNG plots. */
@Command(name = "bench/run", mixinStandardHelpOptions = true,
        description = "Measure the baselines (and Bastion) in the lab, side by side in one run.")
public final class BenchMain implements Callable<Integer> {
    private static final List<Integer> POLICY_COUNTS = List.of(0, 25, 50, 100, 250, 500);

    @Option(names = "--quick", description = "One round of 2-second measurements: a first look, not a result.")
    boolean quick;

    @Option(names = "--rounds", description = "Rounds per figure (default 3; --quick: 1).")
    Integer rounds;

    @Option(names = "--seconds", description = "Length of each measurement (default 10; --quick: 2).")
    Integer seconds;

    @Option(names = "--topology", description = "Lab to measure in (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:bastion.home:-.}/examples/topologies/kill-chain.yaml")
    Path topology;

    @Option(names = "--out", description = "Directory for results.md and the plots (default: bench/results/<time>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int r = rounds != null ? rounds : quick ? 1 : 3;
        Duration length = Duration.ofSeconds(seconds != null ? seconds : quick ? 2 : 10);
        Path dir = out != null ? out : Path.of(System.getProperty("bastion.home", "."), "bench", "results",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        Inventory inventory = InventoryReader.read(topology);
        Lab lab = new Lab(inventory, new LabNames(inventory, "bench-"), Shell.system());
        StringBuilder md = new StringBuilder("# Benchmark run " + dir.getFileName() + "\n\n")
                .append("Kernel ").append(System.getProperty("os.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; ").append(r).append(" round(s) of ")
                .append(length.toSeconds()).append(" s per figure; medians with (min–max); ratios to the bridge measured in the same run.\n\n");
        try {
            lab.up();
            var client = inventory.container("nginx-user").orElseThrow();
            var server = inventory.container("redis-user").orElseThrow();
            md.append(baseline(new TrafficMeasurement(lab, client, server, length, true), r));
            md.append(policyScaling(new TrafficMeasurement(lab, client, server, length, false), r, dir));
        } finally {
            lab.down();
        }
        Files.writeString(dir.resolve("results.md"), md);
        System.out.println(md);
        System.out.println("written to " + dir);
        return 0;
    }

    private static String baseline(TrafficMeasurement m, int rounds) {
        Map<String, Figures> f = m.run(List.of(new PlainBridge(), new IptablesPolicies(0)), rounds);
        Figures bridge = f.get("bridge");
        MarkdownTable t = new MarkdownTable("setup", "TCP Gbit/s", "vs bridge", "TCP RTT µs", "vs bridge", "UDP RTT µs", "vs bridge");
        f.forEach((name, x) -> t.row(name, x.throughputGbps().describe(2), x.throughputGbps().ratioTo(bridge.throughputGbps()),
                x.tcpRttUs().describe(1), x.tcpRttUs().ratioTo(bridge.tcpRttUs()),
                x.udpRttUs().describe(1), x.udpRttUs().ratioTo(bridge.udpRttUs())));
        return "## Throughput and latency (Table 2's baseline rows)\n\n" + t + "\n";
    }

    private static String policyScaling(TrafficMeasurement m, int rounds, Path dir) throws Exception {
        List<NetworkSetup> setups = new ArrayList<>(List.of(new PlainBridge()));
        POLICY_COUNTS.forEach(n -> setups.add(new IptablesPolicies(n)));
        Map<String, Figures> f = m.run(setups, rounds);
        Figures bridge = f.get("bridge");
        MarkdownTable t = new MarkdownTable("policies per container", "iptables TCP Gbit/s", "vs bridge");
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int n : POLICY_COUNTS) {
            Figures x = f.get("iptables-" + n);
            t.row(Integer.toString(n), x.throughputGbps().describe(2), x.throughputGbps().ratioTo(bridge.throughputGbps()));
            xs.add((double) n);
            ys.add(x.throughputGbps().median());
        }
        new LineChart("TCP throughput vs policies per container (Figure 15)", "policies per container", "Gbit/s", xs)
                .series("iptables", ys)
                .series("bridge", xs.stream().map(x -> bridge.throughputGbps().median()).toList())
                .write(dir.resolve("fig15-policies.png"));
        return "## Throughput with policies (Figure 15)\n\nBridge: " + bridge.throughputGbps().describe(2)
                + " Gbit/s. Plot: fig15-policies.png\n\n" + t + "\n";
    }
}
