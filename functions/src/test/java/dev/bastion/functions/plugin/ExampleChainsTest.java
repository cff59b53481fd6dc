package dev.bastion.functions.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bastion.chain.definition.ChainLoader;
import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The example chains of the repository configure the built-in functions in ways the functions accept. The agent
 * provides {@code suricata} (it runs the processes); here it stands in accepting anything, and the agent's tests
 * check its configuration.
 */
class ExampleChainsTest {
    private static final SecurityFunctionFactory SURICATA_STAND_IN = new SecurityFunctionFactory() {
        @Override
        public String name() {
            return "suricata";
        }

        @Override
        public SecurityFunction create(FunctionConfig config) {
            return (packet, flow) -> Verdict.PASS;
        }
    };

    private static List<String> functionsOf(String directory, String chain) throws Exception {
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(ExampleChainsTest.class.getClassLoader())
                .with(SURICATA_STAND_IN);
             LoadedChains loaded = ChainLoader.load(Path.of("..", "examples", "chains", directory), registry, Optional.empty())) {
            return loaded.chains().get(chain).functionNames();
        }
    }

    @Test
    void killChainExamplesLoad() throws Exception {
        assertEquals(List.of("l4-guard", "redis-acl"), functionsOf("kill-chain", "redis-user"));
        assertEquals(List.of("l4-guard", "suricata"), functionsOf("kill-chain", "guest-redis-ids"));
    }

    @Test
    void webserviceExamplesLoad() throws Exception {
        assertEquals(List.of("http-filter", "rate-limit"), functionsOf("webservice", "webapp-service"));
        assertEquals(List.of("l4-guard", "signature"), functionsOf("webservice", "webapp-database"));
    }
}
