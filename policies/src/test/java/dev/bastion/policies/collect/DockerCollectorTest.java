package dev.bastion.policies.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.PortSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against Engine API responses shaped like the Docker API reference, served over a real Unix socket. */
class DockerCollectorTest {
    private static final String[] IDS = {"a1", "b2", "c3", "d4", "e5", "f6"};

    @TempDir
    Path dir;

    private UnixHttpServer engine;
    private DockerCollector collector;

    @BeforeEach
    void start() throws Exception {
        Path socket = dir.resolve("docker.sock");
        engine = new UnixHttpServer(socket);
        engine.respond("/containers/json", resource("containers.json"));
        for (String id : IDS) {
            engine.respond("/containers/" + fullId(id) + "/json", resource("inspect-" + id + ".json"));
        }
        collector = new DockerCollector(socket);
    }

    @AfterEach
    void stop() throws Exception {
        collector.close();
        engine.close();
    }

    @Test
    void readsContainersNetworksAndComposeServices() {
        Inventory inventory = collector.poll().orElseThrow();
        Container web = inventory.container("shop-web-1").orElseThrow();
        assertEquals("shop-web", web.containerSet());
        assertEquals(Optional.of(Ipv4Address.parse("172.18.0.3")), web.ip());
        assertEquals(Optional.of(MacAddress.parse("02:42:ac:12:00:03")), web.mac());
        assertEquals("shop_default", web.network().orElseThrow());
        var network = inventory.network("shop_default").orElseThrow();
        assertEquals("172.18.0.0/16", network.subnet().toString());
        assertEquals(Ipv4Address.parse("172.18.0.1"), network.gateway());
        assertEquals(Optional.of(MacAddress.parse("02:42:ac:11:00:02")), inventory.container("legacy-db").orElseThrow().mac(),
                "an empty MacAddress falls back to Docker's own derivation");
        assertTrue(inventory.container("node-exporter").orElseThrow().hostNetwork());
        var redisSet = inventory.containerSets().stream().filter(s -> s.name().equals("shop-redis")).findFirst().orElseThrow();
        assertEquals(Optional.of("shop"), redisSet.microservice());
        assertEquals(List.of(PortSpec.parse("tcp/6379")), redisSet.internalPorts());
        assertEquals(List.of(PortSpec.parse("tcp/80")), inventory.microservices().get(0).globalPorts(), "published ports");
    }

    @Test
    void dependsOnAndLinksBecomeDependencies() {
        DependencyMap deps = DependencyExtractor.extract(collector.poll().orElseThrow());
        assertEquals(List.of(PortSpec.parse("tcp/6379")), deps.allowed("shop-web-1", "shop-redis-1"),
                "depends_on, bounded by redis's exposed port");
        assertEquals(List.of(PortSpec.ANY), deps.allowed("legacy-app", "legacy-db"), "a link outside compose: any port");
        assertEquals(List.of(), deps.allowed("shop-redis-1", "shop-web-1"));
        assertEquals(List.of(), deps.allowed("legacy-app", "shop-redis-1"));
        assertEquals(2, deps.dependencies().size());
    }

    @Test
    void reportsOnlyChangesAndInspectsEachContainerOnce() throws Exception {
        assertTrue(collector.poll().isPresent());
        assertEquals(Optional.empty(), collector.poll(), "nothing changed");
        engine.respond("/containers/json", resource("containers-scaled.json"));
        Inventory scaled = collector.poll().orElseThrow();
        assertTrue(scaled.container("legacy-app").isEmpty(), "a stopped container leaves");
        assertEquals("shop-web", scaled.container("shop-web-2").orElseThrow().containerSet());
        DependencyMap deps = DependencyExtractor.extract(scaled);
        assertEquals(List.of(PortSpec.parse("tcp/6379")), deps.allowed("shop-web-2", "shop-redis-1"), "a new replica inherits");
        assertEquals(1, engine.requests().stream().filter(p -> p.equals("/containers/" + fullId("a1") + "/json")).count());
        assertEquals(Optional.empty(), collector.poll());
    }

    @Test
    void anUnreachableEngineKeepsTheLastInventory() throws Exception {
        assertTrue(collector.poll().isPresent());
        engine.close();
        assertEquals(Optional.empty(), collector.poll());
    }

    private static String fullId(String id) {
        return switch (id) {
            case "a1" -> "8dfafdbc3a40aaaa0000000000000000000000000000000000000000000000a1";
            case "b2" -> "9cd87474be90bbbb0000000000000000000000000000000000000000000000b2";
            case "c3" -> "4fa6e0f0c678cccc0000000000000000000000000000000000000000000000c3";
            case "d4" -> "5aa6e0f0c678dddd0000000000000000000000000000000000000000000000d4";
            case "e5" -> "6ba6e0f0c678eeee0000000000000000000000000000000000000000000000e5";
            default -> "8dfafdbc3a40ffff0000000000000000000000000000000000000000000000f6";
        };
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DockerCollectorTest.class.getResourceAsStream("/docker/" + name)) {
            return in.readAllBytes();
        }
    }
}
