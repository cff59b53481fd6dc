package dev.bastion.bench.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabException;
import dev.bastion.policies.model.Container;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** One iperf3 TCP stream from a client container to a server container; the receiver's rate in Gbit/s. */
public final class Iperf3 {
    public static final int PORT = 5201;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Iperf3() {
    }

    public static double throughputGbps(Lab lab, Container client, Container server, Duration length) {
        return throughputGbps(lab, client, server, length, PORT);
    }

    /** The same on another TCP port: for a flow a chain selects by the port the inventory opens. */
    public static double throughputGbps(Lab lab, Container client, Container server, Duration length, int port) {
        String ip = server.ip().orElseThrow().toString();
        try (ServerProcess s = ServerProcess.start(lab.inContainer(server,
                List.of("iperf3", "-s", "-1", "-B", ip, "-p", Integer.toString(port))), port)) {
            String out = s.client(lab.inContainer(client, List.of("iperf3", "-c", ip, "-p", Integer.toString(port),
                    "-t", Long.toString(Math.max(1, length.toSeconds())), "-J")));
            JsonNode end = JSON.readTree(out).path("end").path("sum_received");
            if (end.isMissingNode()) {
                throw new LabException("iperf3 gave no result: " + out.lines().limit(5).toList());
            }
            return end.path("bits_per_second").asDouble() / 1e9;
        } catch (IOException e) {
            throw new LabException("iperf3 output unreadable: " + e.getMessage());
        }
    }
}
