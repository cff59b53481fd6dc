package dev.bastion.bench.traffic;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabException;
import dev.bastion.policies.model.Container;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sockperf ping-pong between two containers. sockperf reports one-way latency (half the round trip); this
 * returns the round trip, as the paper's Table 2 does, in microseconds.
 */
public final class Sockperf {
    public static final int PORT = 11111;
    private static final Pattern AVERAGE = Pattern.compile("avg-latency=([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("percentile 99\\.000 =\\s*([0-9.]+)");

    public enum Transport { TCP, UDP }

    /** Round-trip latency: average and 99th percentile, in µs. */
    public record Latency(double averageUs, double p99Us) {
    }

    private Sockperf() {
    }

    public static Latency roundTrip(Lab lab, Container client, Container server, Transport transport, Duration length) {
        String ip = server.ip().orElseThrow().toString();
        List<String> serverArgs = new ArrayList<>(List.of("sockperf", "sr", "-i", ip, "-p", Integer.toString(PORT)));
        List<String> clientArgs = new ArrayList<>(List.of("sockperf", "pp", "-i", ip, "-p", Integer.toString(PORT),
                "-t", Long.toString(Math.max(1, length.toSeconds()))));
        if (transport == Transport.TCP) {
            serverArgs.add("--tcp");
            clientArgs.add("--tcp");
        }
        int readyPort = transport == Transport.TCP ? PORT : -1;
        try (ServerProcess s = ServerProcess.start(lab.inContainer(server, serverArgs), readyPort)) {
            String out = s.client(lab.inContainer(client, clientArgs));
            return new Latency(2 * number(AVERAGE, out), 2 * number(P99, out));
        }
    }

    private static double number(Pattern p, String out) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new LabException("sockperf gave no result: " + out.lines().limit(8).toList());
        }
        return Double.parseDouble(m.group(1));
    }
}
