package dev.bastion.agent.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The attack suite against the insecure baseline (the two-network lab, no agent): every attack must really work.
 * A control run with an ARP quarantine on the attacker shows the suite reports BLOCKED, and names the counter,
 * when something does drop an attack, while the legitimate client -> server traffic keeps working.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackSuiteIntegrationTest {
    private static final int XDP_DROP = 1;
    private final Shell shell = Shell.system();
    private Lab lab;
    private AttackLab attackLab;

    @BeforeAll
    void bringUp() throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/two-network.yaml"));
        lab = new Lab(inventory, new LabNames(inventory, "t" + UUID.randomUUID().toString().substring(0, 6) + "-"), shell);
        try {
            lab.up();
            attackLab = AttackLab.open(lab, shell);
        } catch (RuntimeException e) {
            lab.down();
            throw e;
        }
    }

    @AfterAll
    void removeEverything() {
        try {
            if (attackLab != null) {
                attackLab.close();
            }
        } finally {
            lab.down();
        }
        String namespaces = shell.run(List.of("ip", "netns", "list"));
        List<String> left = lab.namespaces().stream()
                .filter(ns -> namespaces.lines().anyMatch(l -> l.split("\\s+")[0].equals(ns))).toList();
        assertTrue(left.isEmpty(), "left behind: " + left);
    }

    @Test
    void everyAttackIsFeasibleOnTheBaseline() {
        SuiteReport report = AttackSuite.standard().run(attackLab, BlockEvidence.NONE);
        String table = ReportTable.text(report);
        System.out.println(table);
        assertEquals(Mode.BASELINE, report.mode());
        assertTrue(report.legitimateBefore().works() && report.legitimateAfter().works(), table);
        for (Outcome o : report.outcomes()) {
            Result expected = o.attack().equals("lateral-service-ip") ? Result.NOT_APPLICABLE : Result.FEASIBLE;
            assertEquals(expected, o.result(), o.attack() + ": " + o.evidence());
            assertTrue(o.drops().isEmpty(), o.attack() + " counted drops on the baseline: " + o.drops());
        }
        assertEquals(AttackSuite.standard().attacks().size(), report.outcomes().size());
        assertTrue(report.asExpected(), table);
    }

    @Test
    void anArpQuarantineMakesScansAndSpoofingBlockedAndNamesItsCounter() {
        AttackSuite arpAttacks = new AttackSuite(List.of(new ArpScanArping(), new ArpScanNmap(), new GratuitousArpSpoofing(),
                new ArpReplySpoofing()));
        SuiteReport report;
        try (ArpQuarantine quarantine = new ArpQuarantine(lab, shell, attackLab.cast().attacker())) {
            report = arpAttacks.run(attackLab, quarantine);
        }
        String table = ReportTable.text(report);
        System.out.println(table);
        assertTrue(report.legitimateBefore().works() && report.legitimateAfter().works(), table);
        for (Outcome o : report.outcomes()) {
            assertEquals(Result.BLOCKED, o.result(), o.attack() + ": " + o.evidence());
            assertTrue(o.drops().getOrDefault("nginx-guest: arp-quarantine", 0L) > 0, o.attack() + ": " + o.drops());
        }
        assertTrue(report.asExpected(), table);
    }

    /**
     * The evidence the suite reads under the agent: a frame spoofing the client's IP, run through the real
     * bastion_xdp program as if it came in on the attacker's host-side veth, is counted by the datapath and read
     * back as the attacker's drop, named after the component that dropped it.
     */
    @Test
    void datapathDropCountersNameTheBlockingComponent() {
        Cast cast = attackLab.cast();
        Container attacker = cast.attacker();
        Path pins = Datapath.BPFFS_ROOT.resolve("test-attack-" + UUID.randomUUID().toString().substring(0, 8));
        try (Datapath datapath = Datapath.open(pins)) {
            try {
                String node = lab.names().nodeNamespace(attacker.node());
                int ifindex = NetworkNamespace.call(node, () -> Interfaces.index(lab.names().hostVeth(attacker)));
                datapath.endpoints().put(ifindex, new EndpointMap.Endpoint(7, attacker.ip().orElseThrow().bits(),
                        attacker.mac().orElseThrow().bits(), 0));
                DatapathCounters evidence = DatapathCounters.of(datapath, lab.names());
                assertEquals(Map.of(), evidence.drops(attacker));

                byte[] spoofed = udpFrame(attacker, cast.server(), cast.client().ip().orElseThrow().bits());
                int verdict = NetworkNamespace.call(node,
                        () -> datapath.program(Entry.HOST_XDP).testRun(spoofed, 3, ifindex).retval());
                assertEquals(XDP_DROP, verdict);
                assertEquals(Map.of("source verification (SPOOFED_IP)", 3L), evidence.drops(attacker));
                assertEquals(Map.of(), evidence.drops(cast.client()), "no endpoint entry: not protected, no counters");
            } finally {
                datapath.remove();
            }
        }
    }

    /** Ethernet + IPv4 + UDP from {@code from}'s MAC with source IP {@code sourceIp}, to {@code to}. */
    private static byte[] udpFrame(Container from, Container to, int sourceIp) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 4);
        b.put(mac(to)).put(mac(from)).putShort((short) 0x0800);
        int ipStart = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) 32).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(sourceIp).putInt(to.ip().orElseThrow().bits());
        int sum = 0;
        for (int i = ipStart; i < ipStart + 20; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        b.putShort(ipStart + 10, (short) ~((sum & 0xffff) + (sum >>> 16)));
        b.putShort((short) 40000).putShort((short) 7777).putShort((short) 12).putShort((short) 0).put("spof".getBytes());
        return b.array();
    }

    private static byte[] mac(Container c) {
        return Arrays.copyOfRange(ByteBuffer.allocate(8).putLong(c.mac().orElseThrow().bits()).array(), 2, 8);
    }
}
