package dev.bastion.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabAttackCommandTest extends CliTest {

    @Test
    void anInventoryWithoutAttackRolesIsRejectedBeforeAnyLabIsBuilt() {
        int exit = bastion("lab", "attack", "../examples/topologies/kill-chain.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, exit, err.toString());
        assertTrue(err.toString().contains("attack-role: attacker"), err.toString());
        assertTrue(err.toString().contains("nothing was changed"), err.toString());
    }

    @Test
    void theUsageSaysWhatHappensToTheLabAndWhatIsExpected() {
        int exit = bastion("lab", "attack");
        assertEquals(ExitCodes.INVALID_INPUT, exit);
        assertTrue(err.toString().contains("left up"), err.toString());
        assertTrue(err.toString().contains("--protected"), err.toString());
    }

    @Test
    void unreadableDatapathCountersFailBeforeAnyLabIsBuilt() {
        int exit = bastion("lab", "attack", "../examples/topologies/two-network.yaml", "--datapath", "/sys/fs/bpf/bastion/no-such-instance");
        assertEquals(ExitCodes.FAILED, exit, err.toString());
        assertTrue(err.toString().contains("cannot read the datapath's counters in /sys/fs/bpf/bastion/no-such-instance"),
                err.toString());
    }
}
