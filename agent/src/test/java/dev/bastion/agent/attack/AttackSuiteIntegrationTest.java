package dev.bastion.agent.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.util.List;
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
}
