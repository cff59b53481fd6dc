package dev.bastion.bench.experiment;

import dev.bastion.bench.report.Samples;
import dev.bastion.bench.setup.BenchPartitions;
import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.datapath.bpf.TestRun;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.maps.ForwardingMap.Forward;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the datapath costs per packet, with nothing else in the way: BPF_PROG_TEST_RUN runs {@code bastion_xdp}
 * and {@code bastion_tc} many times on an allowed TCP segment between two containers whose partition holds 0,
 * 500 or 5,000 further policies. The frame enters on the loopback interface of the bench's own namespace
 * (an index that always exists), which the endpoints map names as the sending container.
 */
public final class PacketCost {
    private static final int LOOPBACK = 1;
    private static final int SELF_ID = 1;
    private static final int XDP_REDIRECT = 4;
    private static final int TC_ACT_REDIRECT = 7;
    private static final String SOURCE = "172.31.0.2";
    private static final String DESTINATION = "172.31.0.3";

    /** ns/packet per program and policy count. */
    public record Result(String program, int policies, Samples nsPerPacket) {
    }

    private final int repeat;
    private final int runs;

    public PacketCost(int repeat, int runs) {
        this.repeat = repeat;
        this.runs = runs;
    }

    public List<Result> run(List<Integer> policyCounts) {
        Map<Integer, Datapath> datapaths = new LinkedHashMap<>();
        try {
            for (int policies : policyCounts) {
                Datapath datapath = Datapath.open("bench-cost-" + UUID.randomUUID().toString().substring(0, 8));
                datapaths.put(policies, datapath);
                fill(datapath, policies);
            }
            byte[] frame = frame();
            Map<String, Result> out = new LinkedHashMap<>();
            policyCounts.forEach(n -> {
                out.put("xdp-" + n, new Result("bastion_xdp", n, new Samples()));
                out.put("tc-" + n, new Result("bastion_tc", n, new Samples()));
            });
            // Every program and policy count in each run, so that a burst of load on the machine hits all alike.
            for (int r = 0; r < runs; r++) {
                for (int n : policyCounts) {
                    Datapath datapath = datapaths.get(n);
                    out.get("xdp-" + n).nsPerPacket().add(checked(datapath.program(Entry.HOST_XDP)
                            .testRun(frame, repeat, LOOPBACK), XDP_REDIRECT, "bastion_xdp"));
                    out.get("tc-" + n).nsPerPacket().add(checked(datapath.program(Entry.HOST_TC)
                            .testRun(frame, repeat), TC_ACT_REDIRECT, "bastion_tc"));
                }
            }
            return List.copyOf(out.values());
        } finally {
            datapaths.values().forEach(d -> {
                d.remove();
                d.close();
            });
        }
    }

    private static double checked(TestRun run, int expected, String program) {
        if (run.retval() != expected) {
            throw new IllegalStateException(program + " returned " + run.retval() + " instead of " + expected
                    + " for an allowed packet: the measurement would not be of the forwarding path");
        }
        return run.averageNanos();
    }

    /** The sender's endpoint, the destination's forwarding entry, the allowed peer and {@code extra} others. */
    private static void fill(Datapath datapath, int extra) {
        int self = Ipv4Address.parse(SOURCE).bits();
        int peer = Ipv4Address.parse(DESTINATION).bits();
        datapath.endpoints().put(LOOPBACK, new EndpointMap.Endpoint(SELF_ID, self, mac(SOURCE), 0));
        datapath.forwarding().put(peer, Forward.local(LOOPBACK, SELF_ID + 1, mac(DESTINATION)));
        Map<Integer, List<PortRange>> peers = new HashMap<>();
        for (PeerAccess ghost : BenchPartitions.extraPeers("bench", extra)) {
            var port = ghost.egress().get(0);
            peers.put(ghost.peer().ip().bits(), List.of(new PortRange(IpProtocol.TCP, port.from(), port.to(), Direction.EGRESS)));
        }
        peers.put(peer, List.of(new PortRange(IpProtocol.TCP, 5201, 5201, Direction.EGRESS)));
        datapath.peers().putAll(SELF_ID, peers);
    }

    private static byte[] frame() {
        return FrameBuilder.tcp(SOURCE, 40000, DESTINATION, 5201).macs(mac(SOURCE), mac(DESTINATION)).padTo(64).build();
    }

    private static long mac(String ip) {
        return MacAddress.dockerStyle(Ipv4Address.parse(ip)).bits();
    }
}
