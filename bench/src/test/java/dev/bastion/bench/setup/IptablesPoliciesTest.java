package dev.bastion.bench.setup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bench.traffic.Iperf3;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The iptables baseline really filters: the benchmark's flow passes, anything else is dropped. */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds a lab: needs root")
class IptablesPoliciesTest {

    @Test
    void acceptsTheMeasuredFlowsAndDropsTheRest() throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
        Lab lab = new Lab(inventory, new LabNames(inventory, "b" + UUID.randomUUID().toString().substring(0, 6) + "-"), Shell.system());
        IptablesPolicies setup = new IptablesPolicies(50);
        Container client = inventory.container("nginx-user").orElseThrow();
        Container server = inventory.container("redis-user").orElseThrow();
        try {
            lab.up();
            assertTrue(lab.reaches(client, server.ip().orElseThrow().toString()), "ping works on the bare bridge");
            setup.apply(lab);
            assertFalse(lab.reaches(client, server.ip().orElseThrow().toString()), "ICMP is not among the accepted flows");
            assertTrue(Iperf3.throughputGbps(lab, client, server, Duration.ofSeconds(1)) > 0.1, "the measured flow passes");
            setup.remove(lab);
            assertTrue(lab.reaches(client, server.ip().orElseThrow().toString()), "removal restores the bridge");
        } finally {
            lab.down();
        }
    }
}
