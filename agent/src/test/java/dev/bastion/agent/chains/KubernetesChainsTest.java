package dev.bastion.agent.chains;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.policies.inventory.InventoryReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SecurityChain resources on fabric8's mock API server come, change and go; the chains in force follow them. */
@EnableKubernetesMockClient(crud = true)
class KubernetesChainsTest {
    static KubernetesClient client;
    @TempDir
    Path dir;

    @Test
    void resourcesAreValidatedAndInstalledAsChainFilesAre() throws Exception {
        PolicyView view = PolicyView.of(InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml")));
        Path chains = dir.resolve("chains");
        try (KubernetesChains watched = new KubernetesChains(client, chains);
             FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader());
             ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD, Clock.systemUTC(),
                     System::nanoTime)) {
            ChainDirectory directory = new ChainDirectory(chains, registry, engine, entries -> { });
            create(chain("redis-guard", "redis-acl", Map.of("deny", List.of("FLUSHALL"))));
            await(() -> Files.exists(chains.resolve("default.redis-guard.yaml")));
            directory.reconcile(view);
            assertEquals(List.of("redis-guard"), names(directory), directory.error().orElse(""));
            assertTrue(directory.inForce().steering().size() > 0, "the resource's flows are steered");

            create(chain("broken", "no-such-function", Map.of()));
            await(() -> Files.exists(chains.resolve("default.broken.yaml")));
            directory.reconcile(view);
            assertEquals(List.of("redis-guard"), names(directory), "a bad resource changes nothing that runs");
            String error = directory.error().orElseThrow();
            assertTrue(error.contains("default.broken.yaml") && error.contains("no-such-function"), error);

            resources().withName("broken").delete();
            resources().withName("redis-guard").delete();
            await(() -> !Files.exists(chains.resolve("default.redis-guard.yaml"))
                    && !Files.exists(chains.resolve("default.broken.yaml")));
            directory.reconcile(view);
            assertEquals(List.of(), names(directory));
            assertTrue(directory.error().isEmpty());
        }
    }

    private static List<String> names(ChainDirectory directory) {
        return directory.inForce().definitions().stream().map(d -> d.name()).toList();
    }

    private static GenericKubernetesResource chain(String name, String function, Map<String, Object> config) {
        return new GenericKubernetesResourceBuilder().withApiVersion(KubernetesChains.API_VERSION)
                .withKind(KubernetesChains.KIND).withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "context", Map.of("containerSets", List.of("nginx-user")),
                        "flows", Map.of("containerSets", List.of("redis-user"), "ports", List.of("tcp/6379")),
                        "functions", List.of(Map.of("name", function, "config", config)),
                        "priority", name.length()))
                .build();
    }

    private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> resources() {
        return client.genericKubernetesResources(KubernetesChains.RESOURCE).inNamespace("default");
    }

    private static void create(GenericKubernetesResource resource) {
        resources().resource(resource).create();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
