package dev.bastion.chain.compile;

import static dev.bastion.chain.compile.SteeringCompilerTest.exampleChains;
import static dev.bastion.chain.compile.SteeringCompilerTest.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.model.Inventory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainExplainerTest {

    @Test
    void namesTheChainItsFunctionsAndWhy() throws Exception {
        Inventory inventory = topology("kill-chain");
        try (LoadedChains chains = exampleChains("kill-chain", inventory)) {
            Explanation e = ChainExplainer.explain(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory), "nginx-user", "172.17.0.3", "tcp/6379");
            assertEquals(Optional.of("redis-user"), e.chain());
            assertEquals(List.of("l4-guard", "redis-acl"), e.functions());
            assertEquals(Optional.of("closed"), e.failureMode());
            assertEquals(Optional.of("first 200 packets"), e.inspect());
            assertTrue(e.reasons().stream().anyMatch(r -> r.contains("chain redis-user") && r.contains("takes the flow")),
                    e.reasons().toString());
            assertTrue(e.reasons().stream().anyMatch(r -> r.contains("chain guest-l4")
                    && r.contains("belongs to microservice user, not guest")), e.reasons().toString());
            assertTrue(e.reasons().stream().anyMatch(r -> r.contains("chain guest-redis-ids")
                    && r.contains("not in context.containerSets [nginx-guest]")), e.reasons().toString());
        }
    }

    @Test
    void explainsWhyNoChainApplies() throws Exception {
        Inventory inventory = topology("kill-chain");
        try (LoadedChains chains = exampleChains("kill-chain", inventory)) {
            Explanation denied = ChainExplainer.explain(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory), "nginx-guest", "redis-user", "tcp/6379");
            assertFalse(denied.allowedByPolicy());
            assertTrue(denied.chain().isEmpty());
            assertTrue(denied.reasons().get(1).contains("cannot open what policy denies"));

            Explanation otherPort = ChainExplainer.explain(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory), "nginx-user", "redis-user", "tcp/80");
            assertFalse(otherPort.allowedByPolicy(), otherPort.reasons().toString());
        }
    }

    @Test
    void aLowerPriorityMatchIsNamed() throws Exception {
        Inventory inventory = topology("webservice");
        try (LoadedChains chains = exampleChains("webservice", inventory)) {
            Explanation e = ChainExplainer.explain(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory), "webapp-1", "service-1", "tcp/8080");
            assertEquals(Optional.of("webapp-service"), e.chain());
            assertTrue(e.reasons().stream().anyMatch(r -> r.contains("chain webapp-database")
                    && r.contains("not a destination")), e.reasons().toString());
        }
    }

    @Test
    void rejectsUnknownContainersAndPortRanges() throws Exception {
        Inventory inventory = topology("kill-chain");
        try (LoadedChains chains = exampleChains("kill-chain", inventory)) {
            assertThrows(IllegalArgumentException.class, () -> ChainExplainer.explain(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory), "nobody", "redis-user", "tcp/6379"));
            assertThrows(IllegalArgumentException.class, () -> ChainExplainer.explain(chains.definitions(), inventory,
                    DependencyExtractor.extract(inventory), "nginx-user", "redis-user", "tcp/1-100"));
        }
    }
}
