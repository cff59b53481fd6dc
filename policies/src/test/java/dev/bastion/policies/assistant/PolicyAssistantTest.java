package dev.bastion.policies.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kill-chain topology with a planted missing policy and a planted excessive one. */
class PolicyAssistantTest {
    private static final Path KILL_CHAIN = Path.of("../examples/topologies/kill-chain.yaml");

    private static FlowObservation flow(int second, String src, String dst, Protocol protocol, int port, boolean allowed) {
        return new FlowObservation(Instant.parse("2026-11-30T10:00:00Z").plusSeconds(second), Optional.ofNullable(src),
                Optional.ofNullable(dst), protocol, port, allowed);
    }

    /** The user service works; its nginx also calls the guest's web server (no policy); the guest side is idle. */
    private static List<FlowObservation> observed() {
        List<FlowObservation> flows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            flows.add(flow(i, "nginx-user", "redis-user", Protocol.TCP, 6379, true));
        }
        flows.add(flow(10, "nginx-user", "nginx-guest", Protocol.TCP, 80, false));
        flows.add(flow(11, "nginx-user", "nginx-guest", Protocol.TCP, 80, false));
        flows.add(flow(12, null, "redis-user", Protocol.TCP, 6379, false));
        return flows;
    }

    @Test
    void classifiesLegitimateMissingAndExcessive() throws Exception {
        AssistantReport report = PolicyAssistant.analyse(InventoryReader.read(KILL_CHAIN), observed());
        assertEquals(List.of(new Finding("nginx-user", "redis-user", List.of(PortSpec.parse("tcp/6379")), 3)), report.legitimate());
        assertEquals(List.of(new Finding("nginx-user", "nginx-guest", List.of(PortSpec.parse("tcp/80")), 2)), report.missing());
        assertEquals(List.of(new Finding("nginx-guest", "redis-guest", List.of(PortSpec.parse("tcp/6379")), 0)), report.excessive());
        assertEquals(1, report.unattributed());
        assertEquals(6, report.flows());
        assertEquals(Optional.of(Instant.parse("2026-11-30T10:00:12Z")), report.to());
        assertEquals(List.of(), report.notes());
        String text = ReportText.render(report);
        assertTrue(text.contains("Missing policies (flows no policy allows): 1"), text);
        assertTrue(text.matches("(?s).*nginx-user\\s+-> nginx-guest\\s+\\[tcp/80\\]\\s+\\(2 flows\\).*"), text);
    }

    @Test
    void theSuggestedPatchAppliedToTheFileMatchesTheObservations() throws Exception {
        Inventory inventory = InventoryReader.read(KILL_CHAIN);
        AssistantReport report = PolicyAssistant.analyse(inventory, observed());
        String patch = PolicyYaml.patch(inventory.policies(), report.suggested());
        assertTrue(patch.contains("      - to: nginx-guest   # added\n        ports: [tcp/80]"), patch);
        assertTrue(patch.contains("      - from: nginx-user   # added"), patch);
        assertTrue(patch.contains("# removed from nginx-guest egress: to: redis-guest, ports: [tcp/6379]"), patch);
        assertTrue(patch.contains("# removed from redis-guest ingress: from: nginx-guest"), patch);

        String file = Files.readString(KILL_CHAIN);
        Inventory patched = InventoryReader.parse(KILL_CHAIN, file.substring(0, file.indexOf("\npolicies:") + 1) + patch);
        DependencyMap deps = DependencyExtractor.extract(patched);
        assertEquals(List.of(PortSpec.parse("tcp/80")), deps.allowed("nginx-user", "nginx-guest"));
        assertEquals(List.of(), deps.allowed("nginx-guest", "redis-guest"));
        assertEquals(List.of(PortSpec.parse("tcp/6379")), deps.allowed("nginx-user", "redis-user"));
        assertTrue(PolicyAssistant.analyse(patched, observed().subList(0, 5)).clean(), "nothing left to suggest");
    }

    @Test
    void aMissingPortOutsideTheServicePortsIsPointedOut() throws Exception {
        List<FlowObservation> flows = new ArrayList<>(observed());
        flows.add(flow(20, "nginx-user", "redis-guest", Protocol.TCP, 6379, false));
        AssistantReport report = PolicyAssistant.analyse(InventoryReader.read(KILL_CHAIN), flows);
        assertEquals(2, report.missing().size());
        assertEquals(1, report.notes().size(), report.notes().toString());
        assertTrue(report.notes().get(0).startsWith("nginx-user -> redis-guest [tcp/6379]: not among the service ports"),
                report.notes().get(0));
    }
}
