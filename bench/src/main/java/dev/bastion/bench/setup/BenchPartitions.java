package dev.bastion.bench.setup;

import dev.bastion.bench.traffic.Iperf3;
import dev.bastion.bench.traffic.Sockperf;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.Endpoint;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partitions Bastion enforces in the bench: the inventory's own, plus the benchmark's flows (iperf3, sockperf
 * TCP and UDP) between every pair of protected containers, on one node or across nodes (Figure 17) — the same
 * flows the iptables baseline accepts — plus {@code extra} policies per container for peers that do not exist, as
 * the paper's Figure 15 adds policies (10.254.x.y, one TCP port each, like {@link IptablesPolicies}' never-matching
 * rules).
 */
public final class BenchPartitions {
    private static final List<PortSpec> BENCH_PORTS = List.of(new PortSpec(Protocol.TCP, Iperf3.PORT, Iperf3.PORT),
            new PortSpec(Protocol.TCP, Sockperf.PORT, Sockperf.PORT),
            new PortSpec(Protocol.UDP, Sockperf.PORT, Sockperf.PORT));

    private BenchPartitions() {
    }

    public static Map<String, ContainerPartition> of(Map<String, ContainerPartition> inventory, int extra) {
        Map<String, ContainerPartition> out = new LinkedHashMap<>();
        inventory.forEach((name, p) -> {
            Map<Ipv4Address, PeerAccess> peers = new LinkedHashMap<>();
            p.peers().forEach(a -> peers.put(a.peer().ip(), a));
            for (ContainerPartition other : inventory.values()) {
                Endpoint peer = other.self();
                if (peer.equals(p.self())) {
                    continue;
                }
                PeerAccess had = peers.get(peer.ip());
                peers.put(peer.ip(), new PeerAccess(peer, merge(had == null ? List.of() : had.egress()),
                        merge(had == null ? List.of() : had.ingress())));
            }
            extraPeers(p.self().node(), extra).forEach(a -> peers.put(a.peer().ip(), a));
            out.put(name, new ContainerPartition(p.self(), new ArrayList<>(peers.values()), p.deniedIps(),
                    p.deniedMacs(), p.services()));
        });
        return out;
    }

    /** {@code count} peers at 10.254.x.y that no container has, each opening one TCP port. */
    public static List<PeerAccess> extraPeers(String node, int count) {
        List<PeerAccess> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            Ipv4Address ip = Ipv4Address.parse("10.254." + n / 250 + "." + (n % 250 + 1));
            Endpoint ghost = new Endpoint("bench-extra-" + n, node, ip, MacAddress.dockerStyle(ip));
            int port = 1000 + n % 60000;
            out.add(new PeerAccess(ghost, List.of(new PortSpec(Protocol.TCP, port, port)), List.of()));
        }
        return out;
    }

    private static List<PortSpec> merge(List<PortSpec> had) {
        Set<PortSpec> all = new LinkedHashSet<>(had);
        all.addAll(BENCH_PORTS);
        return new ArrayList<>(all);
    }
}
