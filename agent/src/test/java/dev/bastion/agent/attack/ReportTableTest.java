package dev.bastion.agent.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTableTest {
    private static final TrafficCheck WORKS = new TrafficCheck(true, "nginx-user -> redis-user:6379 answered");

    private static Outcome outcome(String attack, Result expected, Result result, Map<String, Long> drops) {
        return new Outcome(attack, "goal of " + attack, Component.DIRECT_ARP, expected, result, "evidence of " + attack, drops);
    }

    @Test
    void aBaselineMayLackWhatAnAttackNeedsButAProtectedLabMayNot() {
        assertTrue(outcome("a", Result.FEASIBLE, Result.NOT_APPLICABLE, Map.of()).asExpected());
        assertFalse(outcome("a", Result.BLOCKED, Result.NOT_APPLICABLE, Map.of()).asExpected());
        assertFalse(outcome("a", Result.FEASIBLE, Result.ERROR, Map.of()).asExpected());
        assertFalse(outcome("a", Result.BLOCKED, Result.FEASIBLE, Map.of()).asExpected());
    }

    @Test
    void brokenLegitimateTrafficFailsAReportWhoseAttacksAreAllAsExpected() {
        List<Outcome> blocked = List.of(outcome("arp-scan-nmap", Result.BLOCKED, Result.BLOCKED, Map.of()));
        assertTrue(new SuiteReport("lab", Mode.PROTECTED, WORKS, WORKS, blocked).asExpected());
        assertFalse(new SuiteReport("lab", Mode.PROTECTED, WORKS, new TrafficCheck(false, "no answer"), blocked).asExpected());
    }

    @Test
    void theTableShowsEachAttackWhatItGaveAndWhatDroppedIt() {
        SuiteReport report = new SuiteReport("two-network", Mode.PROTECTED, WORKS, WORKS, List.of(
                outcome("arp-scan-nmap", Result.BLOCKED, Result.BLOCKED, Map.of("nginx-guest: arp", 12L)),
                outcome("ip-spoof", Result.BLOCKED, Result.FEASIBLE, Map.of())));
        String text = ReportTable.text(report);
        assertTrue(text.contains("protected: every attack expected BLOCKED"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("arp-scan-nmap") && l.contains(" ok ")
                && l.contains("nginx-guest: arp +12")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("ip-spoof") && l.contains(" NO ")
                && l.contains("evidence of ip-spoof")), text);
        assertTrue(text.contains("1 of 2 attacks as expected; the run is NOT as expected"), text);
    }

    @Test
    void theJsonCarriesEveryOutcomeAndTheVerdicts() throws Exception {
        SuiteReport report = new SuiteReport("two-network", Mode.BASELINE, WORKS, WORKS, List.of(
                outcome("arp-scan-nmap", Result.FEASIBLE, Result.FEASIBLE, Map.of())));
        JsonNode json = new ObjectMapper().readTree(ReportTable.json(report));
        assertEquals("BASELINE", json.get("mode").asText());
        assertTrue(json.get("asExpected").asBoolean());
        JsonNode first = json.get("outcomes").get(0);
        assertEquals("arp-scan-nmap", first.get("attack").asText());
        assertEquals("FEASIBLE", first.get("result").asText());
        assertEquals("direct ARP handler", first.get("componentTitle").asText());
        assertTrue(first.get("asExpected").asBoolean());
        assertTrue(json.get("legitimateBefore").get("works").asBoolean());
    }
}
