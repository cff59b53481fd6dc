package dev.bastion.agent.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.LabException;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CastTest {
    private static final Path TOPOLOGIES = Path.of("../examples/topologies");

    @Test
    void twoNetworkCastsEveryRole() throws Exception {
        Cast cast = Cast.of(InventoryReader.read(TOPOLOGIES.resolve("two-network.yaml")));
        assertEquals("nginx-guest", cast.attacker().name());
        assertEquals("nginx-user", cast.client().name());
        assertEquals("redis-user", cast.server().name());
        assertEquals("redis-guest", cast.peer().name());
        assertEquals(6379, cast.serverPort());
        assertEquals(6379, cast.peerPort());
        assertEquals(2222, cast.unpolicedPeerPort());
        assertEquals("node-exporter", cast.hostNetwork().orElseThrow().name());
        assertEquals("backend", cast.otherNetwork().orElseThrow().name());
        assertEquals("10.96.0.10", cast.service().orElseThrow().ip().toString());
        assertEquals(List.of("nginx-user", "redis-user"), cast.nonDependents().stream().map(Container::name).toList());
    }

    @Test
    void anInventoryWithoutRolesIsRejectedNamingTheLabel() throws Exception {
        var inventory = InventoryReader.read(TOPOLOGIES.resolve("kill-chain.yaml"));
        LabException e = assertThrows(LabException.class, () -> Cast.of(inventory));
        assertTrue(e.getMessage().contains("attack-role: attacker"), e.getMessage());
    }

    @Test
    void scanBlocksAreClippedToTheAttackersSubnetAndLeaveItOut() throws Exception {
        Cast cast = Cast.of(InventoryReader.read(TOPOLOGIES.resolve("two-network.yaml")));
        assertEquals("172.17.0.0/24", Discovery.block(cast, 24));
        assertEquals("172.17.0.0/16", Discovery.block(cast, 8));
        List<String> addresses = Discovery.addresses(cast, 27);
        assertEquals(29, addresses.size(), "30 host addresses of a /27, less the attacker's");
        assertEquals("172.17.0.1", addresses.get(0));
        assertEquals("172.17.0.30", addresses.get(addresses.size() - 1));
        assertFalse(addresses.contains("172.17.0.4"));
    }
}
