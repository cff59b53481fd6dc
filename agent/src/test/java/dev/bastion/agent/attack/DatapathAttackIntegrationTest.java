package dev.bastion.agent.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.maps.ForwardingMap;
import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.datapath.net.Offload;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The suite against the real datapath, before the agent wires it: bastion_tc (tcx) or bastion_xdp (native XDP, with
 * container_pass on the container side) on the attacker's host-side veth, with the map entries the agent would write for nginx-guest (its endpoint, its one dependency
 * redis-guest on tcp/6379, every gateway denied). Every attack nginx-guest launches must then be BLOCKED with a
 * datapath drop counter to show for it, while nginx-user -> redis-user keeps working. The host-network attacks
 * and the service-IP path need more than the attacker's veth and are left out here.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates namespaces and loads eBPF: needs root")
class DatapathAttackIntegrationTest {
    private static final int ATTACKER_ID = 7;
    private static final int PEER_ID = 8;
    private static final Set<String> NOT_FROM_THE_ATTACKERS_VETH =
            Set.of("eavesdrop-host-network", "host-network-injection", "lateral-service-ip");

    private final Shell shell = Shell.system();
    private Lab lab;

    @AfterEach
    void removeEverything() {
        if (lab != null) {
            lab.down();
            assertEquals(dev.bastion.agent.lab.LabStatus.State.DOWN, lab.status().state());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Entry.class, names = {"HOST_TC", "HOST_XDP"})
    void everyAttackFromTheProtectedAttackerIsBlockedAndCounted(Entry hook) throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/two-network.yaml"));
        lab = new Lab(inventory, new LabNames(inventory, "t" + UUID.randomUUID().toString().substring(0, 6) + "-"), shell);
        lab.up();
        Path pins = Datapath.BPFFS_ROOT.resolve("test-attack-" + UUID.randomUUID().toString().substring(0, 8));
        List<Attack> fromAttacker = AttackSuite.standard().attacks().stream()
                .filter(a -> !NOT_FROM_THE_ATTACKERS_VETH.contains(a.name())).toList();
        SuiteReport report;
        try (Datapath datapath = Datapath.open(pins); AttackLab attackLab = AttackLab.open(lab, shell)) {
            try {
                protectAttacker(datapath, attackLab.cast(), hook);
                report = new AttackSuite(fromAttacker).run(attackLab, DatapathCounters.of(datapath, lab.names()));
            } finally {
                datapath.remove();
            }
        }
        String table = ReportTable.text(report);
        System.out.println(table);
        assertTrue(report.legitimateBefore().works() && report.legitimateAfter().works(), table);
        for (Outcome o : report.outcomes()) {
            assertEquals(Result.BLOCKED, o.result(), o.attack() + ": " + o.evidence());
            assertFalse(o.drops().isEmpty(), o.attack() + " was blocked but no drop was counted");
            assertTrue(o.drops().keySet().stream().allMatch(k -> k.startsWith("nginx-guest: ")), o.attack() + ": " + o.drops());
        }
        assertTrue(report.asExpected(), table);
    }

    /** What the agent would write for the attacker alone, and its program on the attacker's host-side veth. */
    private void protectAttacker(Datapath datapath, Cast cast, Entry hook) {
        Container attacker = cast.attacker();
        Container peer = cast.peer();
        String node = lab.names().nodeNamespace(attacker.node());
        int attackerVeth = NetworkNamespace.call(node, () -> Interfaces.index(lab.names().hostVeth(attacker)));
        int peerVeth = NetworkNamespace.call(node, () -> Interfaces.index(lab.names().hostVeth(peer)));
        datapath.endpoints().put(attackerVeth, new EndpointMap.Endpoint(ATTACKER_ID, ip(attacker), mac(attacker), 0));
        datapath.forwarding().put(ip(peer), ForwardingMap.Forward.local(peerVeth, PEER_ID, mac(peer)));
        datapath.peers().put(ATTACKER_ID, ip(peer), List.of(new PeerPolicyMap.PortRange(IpProtocol.TCP, cast.peerPort(),
                cast.peerPort(), PeerPolicyMap.Direction.EGRESS)));
        List<Integer> gateways = lab.inventory().networks().stream().map(ContainerNetwork::gateway).map(g -> g.bits()).toList();
        List<Long> bridgeMacs = lab.inventory().networks().stream().map(n -> bridgeMac(node, lab.names().bridge(n))).toList();
        datapath.gateways().denyAll(ATTACKER_ID, gateways, bridgeMacs);
        NetworkNamespace.run(node, () -> datapath.attach(hook, attackerVeth, "attacker"));
        if (hook.xdp()) {
            // What XDP mode asks of the agent (datapath/README.md): frames sent back (ARP replies) or redirected into
            // a veth arrive only if the container side runs XDP; redirected TCP needs complete checksums.
            for (Container c : List.of(attacker, peer)) {
                NetworkNamespace.run(lab.names().containerNamespace(c), () -> {
                    datapath.attach(Entry.CONTAINER_PASS, Interfaces.index(LabNames.containerInterface()), c.name() + "-pass");
                    Offload.TX_CHECKSUM.set(LabNames.containerInterface(), false);
                });
            }
        }
    }

    private long bridgeMac(String node, String bridge) {
        String line = shell.run(List.of("ip", "-n", node, "-br", "link", "show", bridge));
        return dev.bastion.policies.model.MacAddress.parse(line.trim().split("\\s+")[2]).bits();
    }

    private static int ip(Container c) {
        return c.ip().orElseThrow().bits();
    }

    private static long mac(Container c) {
        return c.mac().orElseThrow().bits();
    }
}
