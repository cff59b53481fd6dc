package dev.bastion.bench.experiment;

import dev.bastion.agent.enforce.DatapathEnforcer.Mode;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bench.report.Samples;
import dev.bastion.bench.setup.BenchPartitions;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Time to protect a new container with the real datapath, in the order {@code DatapathEnforcer.protect} follows:
 * first its map entries (peers in one batch, denied gateway IP and MAC, forwarding entry, endpoint), then the
 * attachment (tc: one tcx link; XDP: TX checksum offload off and the pass program on the container side, then the
 * XDP link on the host side), each link pinned. Veth pairs in a namespace of their own, no traffic. The agent is a
 * long-running JVM: as many containers as are measured are protected first to warm it up; the very first one
 * (cold) is reported apart.
 */
public final class DeploymentTime {
    private static final Ipv4Address GATEWAY = Ipv4Address.parse("172.30.0.1");

    /** Per-container times in µs. */
    public record Result(Mode mode, Samples populateUs, Samples attachUs, Samples totalUs, double coldUs) {
    }

    private final Shell shell = Shell.system();
    private final int containers;
    private final int policiesPerContainer;

    public DeploymentTime(int containers, int policiesPerContainer) {
        this.containers = containers;
        this.policiesPerContainer = policiesPerContainer;
    }

    public Result run(Mode mode) {
        String namespace = "bench-deploy-" + UUID.randomUUID().toString().substring(0, 6);
        shell.run(List.of("ip", "netns", "add", namespace));
        Datapath datapath = null;
        try {
            createVeths(namespace);
            datapath = Datapath.open("bench-deploy-" + UUID.randomUUID().toString().substring(0, 8));
            Datapath d = datapath;
            Samples populate = new Samples();
            Samples attach = new Samples();
            Samples total = new Samples();
            double[] cold = new double[1];
            NetworkNamespace.run(namespace, () -> {
                for (int i = 0; i < 2 * containers; i++) {
                    long[] t = protect(d, mode, i);
                    if (i == 0) {
                        cold[0] = (t[2] - t[0]) / 1e3;
                    }
                    if (i >= containers) {
                        populate.add((t[1] - t[0]) / 1e3);
                        attach.add((t[2] - t[1]) / 1e3);
                        total.add((t[2] - t[0]) / 1e3);
                    }
                }
            });
            return new Result(mode, populate, attach, total, cold[0]);
        } finally {
            if (datapath != null) {
                datapath.remove();
                datapath.close();
            }
            shell.run(List.of("ip", "netns", "del", namespace));
        }
    }

    /** Protects container {@code i}; returns the clock before population, after it, and after attaching. */
    private long[] protect(Datapath datapath, Mode mode, int i) {
        int id = i + 1;
        Ipv4Address ip = Ipv4Address.parse("172.30." + (i / 250) + "." + (i % 250 + 2));
        long mac = MacAddress.dockerStyle(ip).bits();
        int ifindex = Interfaces.index(hostSide(i));
        Map<Integer, List<PortRange>> peers = new HashMap<>();
        for (PeerAccess p : BenchPartitions.extraPeers("bench", policiesPerContainer)) {
            var port = p.egress().get(0);
            peers.put(p.peer().ip().bits(), List.of(new PortRange(IpProtocol.TCP, port.from(), port.to(), Direction.EGRESS)));
        }
        long start = System.nanoTime();
        if (!peers.isEmpty()) {
            datapath.peers().putAll(id, peers);
        }
        datapath.gateways().denyAll(id, List.of(GATEWAY.bits()), List.of(MacAddress.dockerStyle(GATEWAY).bits()));
        datapath.forwarding().put(ip.bits(), Forward.local(ifindex, id, mac));
        datapath.endpoints().put(ifindex, new EndpointMap.Endpoint(id, ip.bits(), mac, GATEWAY.bits()));
        long populated = System.nanoTime();
        if (mode == Mode.TC) {
            datapath.attach(Entry.HOST_TC, ifindex, "c" + i);
        } else {
            Offload.TX_CHECKSUM.set(containerSide(i), false);
            datapath.attach(Entry.CONTAINER_PASS, Interfaces.index(containerSide(i)), "c" + i + "-pass");
            datapath.attach(Entry.HOST_XDP, ifindex, "c" + i);
        }
        return new long[] {start, populated, System.nanoTime()};
    }

    /** All veth pairs in one `ip -batch`, both ends in the namespace (the container side stands for a container's). */
    private void createVeths(String namespace) {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 2 * containers; i++) {
            batch.append("link add ").append(hostSide(i)).append(" type veth peer name ").append(containerSide(i)).append('\n')
                    .append("link set ").append(hostSide(i)).append(" up\n")
                    .append("link set ").append(containerSide(i)).append(" up\n");
        }
        try {
            Path file = Files.createTempFile("bench-veths", ".batch");
            try {
                Files.writeString(file, batch);
                shell.run(List.of("ip", "-n", namespace, "-batch", file.toString()));
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the veth batch", e);
        }
    }

    private static String hostSide(int i) {
        return "bh" + i;
    }

    private static String containerSide(int i) {
        return "bc" + i;
    }
}
