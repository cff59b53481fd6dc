package dev.bastion.bench.report;

import dev.bastion.bench.experiment.TrafficMeasurement.Figures;
import java.util.List;
import java.util.Map;

/**
 * Throughput and TCP/UDP round trips of several setups next to a baseline measured in the same rounds: a table of
 * absolute figures with per-round ratios, and a bar chart of the ratios of the medians.
 */
public final class TrafficRatios {
    private final Map<String, Figures> figures;
    private final String baseline;
    private final Figures base;

    public TrafficRatios(Map<String, Figures> figures, String baseline) {
        this.figures = figures;
        this.baseline = baseline;
        this.base = figures.get(baseline);
        if (base == null) {
            throw new IllegalArgumentException("baseline " + baseline + " was not measured (setups: "
                    + figures.keySet() + ")");
        }
    }

    public MarkdownTable table() {
        String vs = "vs " + baseline;
        MarkdownTable t = new MarkdownTable("setup", "TCP Gbit/s", vs, "TCP RTT µs", vs, "UDP RTT µs", vs);
        figures.forEach((name, x) -> t.row(name,
                x.throughputGbps().describe(2), x.throughputGbps().ratioTo(base.throughputGbps()),
                x.tcpRttUs().describe(1), x.tcpRttUs().ratioTo(base.tcpRttUs()),
                x.udpRttUs().describe(1), x.udpRttUs().ratioTo(base.udpRttUs())));
        return t;
    }

    public BarChart chart(String title) {
        BarChart chart = new BarChart(title, "ratio to the " + baseline + " (medians)",
                List.of("TCP throughput", "TCP round trip", "UDP round trip"));
        figures.forEach((name, x) -> chart.bars(name, List.of(ratio(x.throughputGbps(), base.throughputGbps()),
                ratio(x.tcpRttUs(), base.tcpRttUs()), ratio(x.udpRttUs(), base.udpRttUs()))));
        return chart;
    }

    /** The ratio of the medians. */
    public static double ratio(Samples x, Samples baseline) {
        return x.median() / baseline.median();
    }
}
