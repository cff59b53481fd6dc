package dev.bastion.bench;

import dev.bastion.agent.enforce.DatapathEnforcer.Mode;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bench.experiment.AgentScale;
import dev.bastion.bench.experiment.DeploymentTime;
import dev.bastion.bench.experiment.PacketCost;
import dev.bastion.bench.experiment.TrafficMeasurement;
import dev.bastion.bench.experiment.TrafficMeasurement.Figures;
import dev.bastion.bench.report.BarChart;
import dev.bastion.bench.report.LineChart;
import dev.bastion.bench.report.MarkdownTable;
import dev.bastion.bench.report.Samples;
import dev.bastion.bench.report.TrafficRatios;
import dev.bastion.bench.setup.BastionDatapath;
import dev.bastion.bench.setup.ChainSetups;
import dev.bastion.bench.setup.IptablesPolicies;
import dev.bastion.bench.setup.NetworkSetup;
import dev.bastion.bench.setup.PlainBridge;
import dev.bastion.bench.setup.RemoteForwarding;
import dev.bastion.bench.setup.SingleService;
import dev.bastion.datapath.maps.SettingsMap.Service;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench/run}: runs the experiments in the lab and writes results.md and PNG plots. */
@Command(name = "bench/run", mixinStandardHelpOptions = true,
        description = "Measure the baselines and Bastion (XDP and tc mode) in the lab, side by side in one run.")
public final class BenchMain implements Callable<Integer> {
    private static final List<Integer> POLICY_COUNTS = List.of(0, 25, 50, 100, 250, 500);
    private static final List<Integer> COST_POLICY_COUNTS = List.of(0, 500, 5000);
    private static final int DEPLOYED_CONTAINERS = 100;
    /** Policies of each deployed container: a microservice with a handful of dependencies. */
    private static final int DEPLOYED_POLICIES = 10;
    private static final List<Integer> SCALE_CONTAINERS = List.of(1_000, 10_000);

    /** The experiments, in the order they run. */
    enum Experiment { TABLE2, FIG15, CHAIN, FIG17, DEPLOY, COST, SCALE }

    @Option(names = "--quick", description = "Two rounds of 2-second measurements: a first look, not a result.")
    boolean quick;

    @Option(names = "--rounds", description = "Rounds per figure (default 5; --quick: 2).")
    Integer rounds;

    @Option(names = "--seconds", description = "Length of each measurement (default 5; --quick: 2).")
    Integer seconds;

    @Option(names = "--only", split = ",", description = "Experiments to run (default all): ${COMPLETION-CANDIDATES}.")
    Set<Experiment> only;

    @Option(names = "--topology", description = "Lab to measure in (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:bastion.home:-.}/examples/topologies/kill-chain.yaml")
    Path topology;

    @Option(names = "--two-node-topology", description = "Two-node lab of Figure 17 (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:bastion.home:-.}/examples/topologies/two-node.yaml")
    Path twoNodeTopology;

    @Option(names = "--out", description = "Directory for results.md and the plots (default: bench/results/<time>).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int r = rounds != null ? rounds : quick ? 2 : 5;
        Duration length = Duration.ofSeconds(seconds != null ? seconds : quick ? 2 : 5);
        Set<Experiment> run = only == null || only.isEmpty() ? EnumSet.allOf(Experiment.class) : EnumSet.copyOf(only);
        Path dir = out != null ? out : Path.of(System.getProperty("bastion.home", "."), "bench", "results",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        long started = System.nanoTime();
        StringBuilder md = new StringBuilder("# Benchmark run " + dir.getFileName() + "\n\n")
                .append("Kernel ").append(System.getProperty("os.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; ").append(r).append(" round(s) of ")
                .append(length.toSeconds()).append(" s per figure, setups interleaved within each round; medians with (min–max); ")
                .append("ratios to the baseline are the median (min–max) of per-round ratios (baseline measured in the same round).\n\n");
        if (run.contains(Experiment.TABLE2) || run.contains(Experiment.FIG15) || run.contains(Experiment.CHAIN)) {
            Inventory inventory = InventoryReader.read(topology);
            Lab lab = new Lab(inventory, new LabNames(inventory, "bench-"), Shell.system());
            try {
                lab.up();
                var client = inventory.container("nginx-user").orElseThrow();
                var server = inventory.container("redis-user").orElseThrow();
                if (run.contains(Experiment.TABLE2)) {
                    md.append(table2(new TrafficMeasurement(lab, client, server, length, true), r, dir));
                }
                if (run.contains(Experiment.FIG15)) {
                    md.append(policyScaling(new TrafficMeasurement(lab, client, server, length, false), r, dir));
                }
                if (run.contains(Experiment.CHAIN)) {
                    md.append(chains(new TrafficMeasurement(lab, client, server, length, false,
                            OptionalInt.of(ChainSetups.OTHER_PORT)), r, dir));
                }
            } finally {
                lab.down();
            }
        }
        if (run.contains(Experiment.FIG17)) {
            md.append(acrossNodes(twoNodeTopology, "frontend-1", "backend-2", length, r, dir));
        }
        if (run.contains(Experiment.DEPLOY)) {
            md.append(deployment());
        }
        if (run.contains(Experiment.COST)) {
            md.append(packetCost(quick ? 200_000 : 1_000_000, quick ? 5 : 10));
        }
        if (run.contains(Experiment.SCALE)) {
            md.append(agentScale(r));
        }
        md.append(String.format(Locale.ROOT, "Run took %.1f minutes.%n", (System.nanoTime() - started) / 6e10));
        Files.writeString(dir.resolve("results.md"), md);
        System.out.println(md);
        System.out.println("written to " + dir);
        return 0;
    }

    private static String table2(TrafficMeasurement m, int rounds, Path dir) throws Exception {
        List<NetworkSetup> setups = List.of(new PlainBridge(), new IptablesPolicies(0),
                new BastionDatapath(Mode.XDP, 0), new BastionDatapath(Mode.TC, 0),
                singleService(Mode.XDP, Service.NETWORK_VISIBILITY), singleService(Mode.TC, Service.NETWORK_VISIBILITY),
                singleService(Mode.XDP, Service.TRAFFIC_VISIBILITY), singleService(Mode.TC, Service.TRAFFIC_VISIBILITY));
        TrafficRatios f = new TrafficRatios(m.run(setups, rounds), "bridge");
        f.chart("Throughput and latency relative to the bridge (Figure 16 / Table 2)").write(dir.resolve("fig16-table2.png"));
        return "## Throughput and latency (Figure 16 / Table 2)\n\nnginx-user -> redis-user, one iperf3 TCP stream; "
                + "sockperf ping-pong round trips. bastion-*-0: all of Bastion; bastion-*-network-visibility: the "
                + "ARP handler, gateway handler and isolation, the bridge forwards; bastion-*-traffic-visibility: "
                + "source verification and direct forwarding, ARP through the bridge, no isolation (SingleService). "
                + "Plot: fig16-table2.png\n\n" + f.table() + "\n";
    }

    /** One of Bastion's services alone (Table 2's middle rows): the datapath with the other switched off. */
    private static NetworkSetup singleService(Mode mode, Service kept) {
        return new BastionDatapath(mode, 0, "bastion-" + mode.name().toLowerCase(Locale.ROOT) + "-"
                + kept.name().toLowerCase(Locale.ROOT).replace('_', '-'), new SingleService(kept));
    }

    /** Figure 17: the same figures between two containers on two lab nodes. */
    private static String acrossNodes(Path topology, String clientName, String serverName, Duration length, int rounds,
            Path dir) throws Exception {
        Inventory inventory = InventoryReader.read(topology);
        Lab lab = new Lab(inventory, new LabNames(inventory, "bench-"), Shell.system());
        try {
            lab.up();
            Container client = inventory.container(clientName).orElseThrow();
            Container server = inventory.container(serverName).orElseThrow();
            List<NetworkSetup> setups = List.of(new PlainBridge(),
                    new BastionDatapath(Mode.XDP, 0, "bastion-xdp", new RemoteForwarding()),
                    new BastionDatapath(Mode.TC, 0, "bastion-tc", new RemoteForwarding()));
            TrafficRatios f = new TrafficRatios(new TrafficMeasurement(lab, client, server, length, true)
                    .run(setups, rounds), "bridge");
            f.chart("Across two lab nodes, relative to bridges + routed underlay (Figure 17)")
                    .write(dir.resolve("fig17-two-nodes.png"));
            return "## Across two nodes (Figure 17)\n\n" + clientName + " (" + client.node() + ") -> " + serverName
                    + " (" + server.node() + ") of " + inventory.name() + ", one iperf3 TCP stream; sockperf ping-pong "
                    + "round trips. bridge: each node's bridge, the nodes route each other's subnets over the underlay; "
                    + "bastion-*: direct forwarding out of the node's uplink and into the destination's veth "
                    + "(RemoteForwarding). Plot: fig17-two-nodes.png\n\n" + f.table() + "\n";
        } finally {
            lab.down();
        }
    }

    private static String policyScaling(TrafficMeasurement m, int rounds, Path dir) throws Exception {
        List<NetworkSetup> setups = new ArrayList<>(List.of(new PlainBridge()));
        for (int n : POLICY_COUNTS) {
            setups.add(new IptablesPolicies(n));
            setups.add(new BastionDatapath(Mode.TC, n));
            setups.add(new BastionDatapath(Mode.XDP, n));
        }
        Map<String, Figures> f = m.run(setups, rounds);
        Samples bridge = f.get("bridge").throughputGbps();
        List<String> families = List.of("iptables", "bastion-tc", "bastion-xdp");
        MarkdownTable t = new MarkdownTable("policies per container", "iptables Gbit/s", "vs its 0", "Bastion tc Gbit/s",
                "vs its 0", "Bastion XDP Gbit/s", "vs its 0");
        List<Double> xs = POLICY_COUNTS.stream().map(Integer::doubleValue).toList();
        LineChart chart = new LineChart("TCP throughput vs policies per container (Figure 15)", "policies per container",
                "Gbit/s", xs);
        for (String family : families) {
            chart.series(family, POLICY_COUNTS.stream().map(n -> f.get(family + "-" + n).throughputGbps().median()).toList());
        }
        chart.series("bridge", xs.stream().map(x -> bridge.median()).toList()).write(dir.resolve("fig15-policies.png"));
        for (int n : POLICY_COUNTS) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(n)));
            for (String family : families) {
                Samples s = f.get(family + "-" + n).throughputGbps();
                row.add(s.describe(2));
                row.add(s.ratioTo(f.get(family + "-0").throughputGbps()));
            }
            t.row(row.toArray(String[]::new));
        }
        MarkdownTable zero = new MarkdownTable("setup (0 extra policies)", "vs bridge");
        families.forEach(fam -> zero.row(fam, f.get(fam + "-0").throughputGbps().ratioTo(bridge)));
        return "## Throughput with policies (Figure 15)\n\nBridge: " + bridge.describe(2)
                + " Gbit/s. Plot: fig15-policies.png\n\n" + t + "\n" + zero + "\n";
    }

    private static String chains(TrafficMeasurement m, int rounds, Path dir) throws Exception {
        Path rules = Path.of(System.getProperty("bastion.home", "."), "examples", "rules");
        Map<String, Figures> f = m.run(ChainSetups.all(rules), rounds);
        Figures unsteered = f.get(ChainSetups.BASELINE);
        String port = "tcp/" + ChainSetups.PORT;
        String other = "tcp/" + ChainSetups.OTHER_PORT;
        MarkdownTable t = new MarkdownTable("setup", port + " Gbit/s", "vs no chain",
                "other flow " + other + " Gbit/s", "vs no chain");
        BarChart chart = new BarChart("One TCP flow through selective chains (XDP mode)",
                "throughput, ratio to no chain at all (medians)", List.of(port + " (measured flow)", other + " (other flow)"));
        f.forEach((name, x) -> {
            t.row(name, x.throughputGbps().describe(2), x.throughputGbps().ratioTo(unsteered.throughputGbps()),
                    x.otherFlowGbps().describe(2), x.otherFlowGbps().ratioTo(unsteered.otherFlowGbps()));
            chart.bars(name, List.of(TrafficRatios.ratio(x.throughputGbps(), unsteered.throughputGbps()),
                    TrafficRatios.ratio(x.otherFlowGbps(), unsteered.otherFlowGbps())));
        });
        chart.write(dir.resolve("chain-selectivity.png"));
        return "## Selective chains (issues 6 and 8)\n\nnginx-user -> redis-user, one iperf3 TCP stream on " + port
                + " (the flow chains select or not), then one on " + other + " (the pair's other flow), Bastion in XDP "
                + "mode; setups interleaved in every round. Plot: chain-selectivity.png\n\n" + t + "\n";
    }

    private static String deployment() {
        DeploymentTime experiment = new DeploymentTime(DEPLOYED_CONTAINERS, DEPLOYED_POLICIES);
        MarkdownTable t = new MarkdownTable("mode", "map population p50 µs", "p99", "attach p50 µs", "p99", "total p50 µs", "p99", "first (cold JVM) µs");
        for (Mode mode : List.of(Mode.TC, Mode.XDP)) {
            DeploymentTime.Result x = experiment.run(mode);
            t.row(mode.name(), us(x.populateUs().median()), us(x.populateUs().percentile(99)), us(x.attachUs().median()),
                    us(x.attachUs().percentile(99)), us(x.totalUs().median()), us(x.totalUs().percentile(99)), us(x.coldUs()));
        }
        return "## Deployment time\n\nProtecting " + DEPLOYED_CONTAINERS + " new containers one after another ("
                + DEPLOYED_POLICIES + " peers each, a denied gateway IP and MAC, forwarding and endpoint entries; "
                + "links pinned), real datapath on veths, no traffic; measured after as many containers warmed the JVM up.\n\n" + t + "\n";
    }

    private static String packetCost(int repeat, int runs) {
        MarkdownTable t = new MarkdownTable("program", "policies of the container", "ns/packet median (min–max)",
                "spread", "median vs 0 policies");
        List<PacketCost.Result> results = new PacketCost(repeat, runs).run(COST_POLICY_COUNTS);
        for (PacketCost.Result x : results) {
            Samples s = x.nsPerPacket();
            Samples none = results.stream().filter(y -> y.program().equals(x.program()) && y.policies() == 0)
                    .findFirst().orElseThrow().nsPerPacket();
            t.row(x.program(), Integer.toString(x.policies()), s.describe(1),
                    String.format(Locale.ROOT, "±%.1f%%", 50 * (s.max() - s.min()) / s.median()),
                    String.format(Locale.ROOT, "%.2fx", TrafficRatios.ratio(s, none)));
        }
        return "## Per-packet cost (BPF_PROG_TEST_RUN)\n\nAn allowed 64-byte TCP segment, " + repeat + " repeats per run, "
                + runs + " runs per figure, every program and policy count interleaved in each run; spread = half the "
                + "min–max range over the median.\n\n" + t + "\n" + policyCountSpread(results);
    }

    /** How far apart the medians of one program are across the policy counts: the cost must not grow with them. */
    private static String policyCountSpread(List<PacketCost.Result> results) {
        StringBuilder out = new StringBuilder("\nAcross " + COST_POLICY_COUNTS + " policies (issue target: within 5%): ");
        results.stream().map(PacketCost.Result::program).distinct().forEach(program -> {
            Samples medians = new Samples();
            results.stream().filter(x -> x.program().equals(program)).forEach(x -> medians.add(x.nsPerPacket().median()));
            double spread = 100 * (medians.max() - medians.min()) / medians.min();
            out.append(String.format(Locale.ROOT, "%s medians %.1f–%.1f ns, %.1f%% apart (%s); ", program, medians.min(),
                    medians.max(), spread, spread <= 5 ? "met" : "missed"));
        });
        return out.substring(0, out.length() - 2) + ".\n";
    }

    private static String agentScale(int rounds) throws Exception {
        MarkdownTable t = new MarkdownTable("containers in the inventory", "on this node", "peer entries applied here",
                "first reconcile ms", "one container moved: reconcile ms", "changes applied", "retained heap MiB");
        new AgentScale(SCALE_CONTAINERS, rounds).run().forEach((n, x) -> t.row(String.format(Locale.ROOT, "%,d", n),
                String.format(Locale.ROOT, "%,d", x.localContainers()),
                String.format(Locale.ROOT, "%,d", x.localPeerEntries()), x.firstMs().describe(0),
                x.oneChangedMs().describe(0), Integer.toString(x.changedOnOneMove()), x.retainedMib().describe(1)));
        return "## Agent at scale (issue 8)\n\nThe agent's reconcile (pollOnce: policy view, this node's partition "
                + "diff) on a synthetic platform of 10 nodes, one set per 10 containers, one microservice per 100, "
                + "given to the agent in memory (no YAML parsing); timed from the collector handing the inventory over "
                + "to the enforcer receiving this node's changes; the enforcer only counts them (no kernel). "
                + "Retained heap: used heap after GC with the agent and its inventory alive, minus before. "
                + rounds + " round(s), sizes interleaved, a fresh agent each time.\n\n" + t + "\n";
    }

    private static String us(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
