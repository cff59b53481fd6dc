package dev.bastion.bench.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.chain.compile.SteeringCompiler;
import dev.bastion.chain.definition.ChainLoader;
import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.PortSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CHAIN experiment's chains steer exactly the flows each setup is about. */
class ChainSetupsTest {
    @TempDir
    Path dir;
    private Inventory killChain;

    @BeforeEach
    void readTheLab() throws Exception {
        killChain = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
    }

    @Test
    void theChainsInventoryAllowsTheMeasuredFlowTheLabsDoesNot() {
        PortSpec iperf3 = PortSpec.parse("tcp/5201");
        assertFalse(PolicyView.of(killChain).dependencies().allowed("nginx-user", "redis-user").contains(iperf3));
        assertEquals(Set.of(PortSpec.parse("tcp/6379"), iperf3), Set.copyOf(PolicyView.of(
                ChainSetups.allowingMeasuredFlow(killChain)).dependencies().allowed("nginx-user", "redis-user")));
    }

    @Test
    void aChainOnTheOtherFlowLeavesTheMeasuredPortUnsteered() throws Exception {
        assertEquals(Set.of(6379), nginxSteeredPorts(ChainSetups.otherFlowChain()));
    }

    @Test
    void theMeasuredFlowsChainSteersOnlyItsPort() throws Exception {
        assertEquals(Set.of(5201), nginxSteeredPorts(ChainSetups.measuredFlowChain(ChainSetups.L4_GUARD)));
    }

    @Test
    void theNonSelectiveChainSteersBothFlows() throws Exception {
        assertEquals(Set.of(5201, 6379), nginxSteeredPorts(ChainSetups.allFlowsChain(ChainSetups.NO_FUNCTION)));
    }

    /** First ports of nginx-user's steering entries towards redis-user once {@code chain} is compiled. */
    private Set<Integer> nginxSteeredPorts(String chain) throws Exception {
        Files.writeString(dir.resolve("chain.yaml"), chain);
        PolicyView view = PolicyView.of(ChainSetups.allowingMeasuredFlow(killChain));
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
             LoadedChains loaded = ChainLoader.load(dir, registry, Optional.of(view.inventory()))) {
            var entries = SteeringCompiler.compile(loaded.definitions(), view.inventory(), view.dependencies());
            assertTrue(entries.stream().allMatch(e -> e.portFrom() == e.portTo()), entries.toString());
            return entries.stream().filter(e -> e.container().equals("nginx-user"))
                    .filter(e -> e.peer().toString().equals("172.17.0.3"))
                    .map(e -> e.portFrom()).collect(Collectors.toSet());
        }
    }
}
