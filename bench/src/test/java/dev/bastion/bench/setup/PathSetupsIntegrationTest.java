package dev.bastion.bench.setup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.enforce.DatapathEnforcer.Mode;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bench.traffic.Iperf3;
import dev.bastion.datapath.maps.CounterMap.Counter;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.datapath.maps.SettingsMap.Service;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The path each new setup claims its packets take, in both hooks: across two nodes Bastion's remote forwarding
 * carries a TCP stream even with the nodes' routes to each other's subnets gone; with one service alone
 * (SingleService) the program forwards as that service says: through the bridge (network visibility alone) or
 * directly, leaving ARP to the bridge (traffic visibility alone).
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "attaches XDP/tc programs: needs root")
class PathSetupsIntegrationTest {
    private static final Duration SHORT = Duration.ofSeconds(1);
    private final Shell shell = Shell.system();
    private Lab lab;
    private BastionDatapath setup;

    @AfterEach
    void removeEverything() {
        try {
            if (setup != null) {
                setup.remove(lab);
            }
        } finally {
            if (lab != null) {
                lab.down();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void remoteForwardingNeedsNoRouteBetweenTheNodes(Mode mode) throws Exception {
        Inventory inventory = lab("two-node.yaml");
        Container client = inventory.container("frontend-1").orElseThrow();
        Container server = inventory.container("backend-2").orElseThrow();
        for (String[] route : List.of(new String[] {"node1", "10.244.2.0/24"}, new String[] {"node2", "10.244.1.0/24"})) {
            shell.run(lab.onNode(route[0], List.of("ip", "route", "del", route[1])));
        }
        assertFalse(lab.reaches(client, server.ip().orElseThrow().toString()), "without routes the bridges cannot");

        RemoteForwarding remote = new RemoteForwarding();
        setup = new BastionDatapath(mode, 0, "remote", remote);
        setup.apply(lab);
        assertTrue(Iperf3.throughputGbps(lab, client, server, SHORT) > 0);
        Map<String, Map<Reason, Counter>> counters = remote.counters();
        assertTrue(counters.get("frontend-1").containsKey(Reason.FORWARD_REMOTE), counters.toString());
        assertTrue(counters.get("backend-2").containsKey(Reason.EXT_DELIVERED), counters.toString());
        assertTrue(counters.get("backend-2").containsKey(Reason.FORWARD_REMOTE), counters.toString());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void networkVisibilityAloneLeavesForwardingToTheBridge(Mode mode) throws Exception {
        assertPath(singleService(mode, Service.NETWORK_VISIBILITY), Reason.PASS_HOST, Reason.FORWARD_LOCAL);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void trafficVisibilityAloneForwardsDirectlyAndLeavesArpToTheBridge(Mode mode) throws Exception {
        assertPath(singleService(mode, Service.TRAFFIC_VISIBILITY), Reason.FORWARD_LOCAL, Reason.ARP_REPLIED);
    }

    /** Both ends of the stream counted packets as {@code taken} and none as {@code avoided}. */
    private static void assertPath(Map<String, Map<Reason, Counter>> counters, Reason taken, Reason avoided) {
        for (String container : List.of("nginx-user", "redis-user")) {
            assertTrue(counters.get(container).containsKey(taken), counters.toString());
            assertFalse(counters.get(container).containsKey(avoided), counters.toString());
        }
    }

    /** Applies Bastion with only {@code kept}, runs a short iperf3 stream; returns the path counters. */
    private Map<String, Map<Reason, Counter>> singleService(Mode mode, Service kept) throws Exception {
        Inventory inventory = lab("kill-chain.yaml");
        SingleService single = new SingleService(kept);
        setup = new BastionDatapath(mode, 0, "single", single);
        setup.apply(lab);
        assertTrue(Iperf3.throughputGbps(lab, inventory.container("nginx-user").orElseThrow(),
                inventory.container("redis-user").orElseThrow(), SHORT) > 0);
        return single.counters();
    }

    private Inventory lab(String topology) throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies", topology));
        lab = new Lab(inventory, new LabNames(inventory, "p" + UUID.randomUUID().toString().substring(0, 6) + "-"), shell);
        lab.up();
        return inventory;
    }
}
