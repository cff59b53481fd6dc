package dev.bastion.bench.experiment;

import dev.bastion.agent.lab.Lab;
import dev.bastion.bench.report.Samples;
import dev.bastion.bench.setup.NetworkSetup;
import dev.bastion.bench.traffic.Iperf3;
import dev.bastion.bench.traffic.Sockperf;
import dev.bastion.policies.model.Container;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures TCP throughput and TCP/UDP round-trip latency between two containers under several setups,
 * interleaving the setups round by round so that drift of the machine hits all of them alike.
 */
public final class TrafficMeasurement {
    private static final Logger log = LoggerFactory.getLogger(TrafficMeasurement.class);

    /** What one setup measured; {@code otherFlowGbps} only when a second port is measured. */
    public record Figures(Samples throughputGbps, Samples tcpRttUs, Samples udpRttUs, Samples otherFlowGbps) {
        Figures() {
            this(new Samples(), new Samples(), new Samples(), new Samples());
        }
    }

    private final Lab lab;
    private final Container client;
    private final Container server;
    private final Duration length;
    private final boolean latency;
    private final OptionalInt otherFlowPort;

    public TrafficMeasurement(Lab lab, Container client, Container server, Duration length, boolean latency) {
        this(lab, client, server, length, latency, OptionalInt.empty());
    }

    /** Also measures the pair's throughput on {@code otherFlowPort}, after the main one, under the same setup. */
    public TrafficMeasurement(Lab lab, Container client, Container server, Duration length, boolean latency,
            OptionalInt otherFlowPort) {
        this.otherFlowPort = otherFlowPort;
        this.lab = lab;
        this.client = client;
        this.server = server;
        this.length = length;
        this.latency = latency;
    }

    public Map<String, Figures> run(List<NetworkSetup> setups, int rounds) {
        Map<String, Figures> out = new LinkedHashMap<>();
        setups.forEach(s -> out.put(s.name(), new Figures()));
        for (int round = 1; round <= rounds; round++) {
            for (NetworkSetup setup : setups) {
                log.info("round {}/{}: {}", round, rounds, setup.name());
                Figures f = out.get(setup.name());
                setup.apply(lab);
                try {
                    f.throughputGbps().add(Iperf3.throughputGbps(lab, client, server, length));
                    if (otherFlowPort.isPresent()) {
                        f.otherFlowGbps().add(Iperf3.throughputGbps(lab, client, server, length, otherFlowPort.getAsInt()));
                    }
                    if (latency) {
                        f.tcpRttUs().add(Sockperf.roundTrip(lab, client, server, Sockperf.Transport.TCP, length).averageUs());
                        f.udpRttUs().add(Sockperf.roundTrip(lab, client, server, Sockperf.Transport.UDP, length).averageUs());
                    }
                } finally {
                    setup.remove(lab);
                }
            }
        }
        return out;
    }
}
