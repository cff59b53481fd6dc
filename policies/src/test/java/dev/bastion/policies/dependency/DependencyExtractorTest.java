package dev.bastion.policies.dependency;

import static dev.bastion.policies.dependency.Fixtures.container;
import static dev.bastion.policies.dependency.Fixtures.inventory;
import static dev.bastion.policies.dependency.Fixtures.microservice;
import static dev.bastion.policies.dependency.Fixtures.policy;
import static dev.bastion.policies.dependency.Fixtures.ports;
import static dev.bastion.policies.dependency.Fixtures.rule;
import static dev.bastion.policies.dependency.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyExtractorTest {

    private static DependencyMap extract(Inventory inventory) {
        return DependencyExtractor.extract(inventory);
    }

    @Test
    void explicitDependentsGetEgressIntersectedWithIngress() {
        DependencyMap deps = extract(inventory(List.of(container("a1", "a", 2), container("b1", "b", 3)),
                List.of(set("a", null), set("b", null)), List.of(),
                List.of(policy("a", List.of(), List.of(rule("b", "tcp/80-90", "udp/53"))),
                        policy("b", List.of(rule("a", "tcp/85-100")), List.of())), List.of()));
        assertEquals(ports("tcp/85-90"), deps.allowed("a1", "b1"));
        assertEquals(List.of(), deps.allowed("b1", "a1"), "a dependency has a direction");
    }

    @Test
    void aSideWithoutRulesInThatDirectionDoesNotRestrict() {
        DependencyMap deps = extract(inventory(List.of(container("a1", "a", 2), container("b1", "b", 3)),
                List.of(set("a", null), set("b", null)), List.of(),
                List.of(policy("a", List.of(), List.of(rule("b", "tcp/6379")))), List.of()));
        assertEquals(ports("tcp/6379"), deps.allowed("a1", "b1"));
    }

    @Test
    void anIngressPolicyNotNamingTheSourceDenies() {
        DependencyMap deps = extract(inventory(
                List.of(container("a1", "a", 2), container("b1", "b", 3), container("c1", "c", 4)),
                List.of(set("a", null), set("b", null), set("c", null)), List.of(),
                List.of(policy("a", List.of(), List.of(rule("b", "tcp/80"))),
                        policy("b", List.of(rule("c", "tcp/80")), List.of())), List.of()));
        assertEquals(List.of(), deps.allowed("a1", "b1"));
        assertEquals(ports("tcp/80"), deps.allowed("c1", "b1"));
    }

    @Test
    void setsOfOneMicroserviceTalkOnlyThroughTheTargetsInternalPorts() {
        DependencyMap deps = extract(inventory(List.of(container("web1", "web", 2), container("db1", "db", 3)),
                List.of(set("web", "shop", "tcp/80"), set("db", "shop", "tcp/5432")),
                List.of(microservice("shop", "tcp/443")),
                List.of(policy("web", List.of(), List.of(rule("db", "any")))), List.of()));
        assertEquals(ports("tcp/5432"), deps.allowed("web1", "db1"));
    }

    @Test
    void internalPortsBoundEvenAnExplicitPortOutsideThem() {
        DependencyMap deps = extract(inventory(List.of(container("web1", "web", 2), container("db1", "db", 3)),
                List.of(set("web", "shop"), set("db", "shop", "tcp/5432")), List.of(microservice("shop")),
                List.of(policy("web", List.of(), List.of(rule("db", "tcp/22", "tcp/5432")))), List.of()));
        assertEquals(ports("tcp/5432"), deps.allowed("web1", "db1"), "ssh is not a service port of db");
    }

    @Test
    void unrelatedContainersTalkOnlyThroughTheTargetMicroservicesGlobalPorts() {
        DependencyMap deps = extract(inventory(List.of(container("client1", "client", 2), container("api1", "api", 3)),
                List.of(set("client", "mobile"), set("api", "shop", "tcp/8080", "tcp/9090")),
                List.of(microservice("mobile"), microservice("shop", "tcp/8080")),
                List.of(policy("client", List.of(), List.of(rule("api", "tcp")))), List.of()));
        assertEquals(ports("tcp/8080"), deps.allowed("client1", "api1"), "9090 is internal to shop");
    }

    @Test
    void aContainerOutsideAnyMicroserviceStillReachesOnlyGlobalPorts() {
        DependencyMap deps = extract(inventory(List.of(container("cli1", "cli", 2), container("api1", "api", 3)),
                List.of(set("cli", null), set("api", "shop", "tcp/9090")), List.of(microservice("shop", "tcp/8080")),
                List.of(policy("cli", List.of(), List.of(rule("api", "any")))), List.of()));
        assertEquals(ports("tcp/8080"), deps.allowed("cli1", "api1"));
    }

    @Test
    void replicasOfOneSetAreNotConnectedUnlessExplicit() {
        List<dev.bastion.policies.model.Container> replicas = List.of(container("r1", "r", 2), container("r2", "r", 3));
        DependencyMap none = extract(inventory(replicas, List.of(set("r", "svc", "tcp/80")),
                List.of(microservice("svc", "tcp/80")), List.of(), List.of()));
        assertEquals(List.of(), none.allowed("r1", "r2"));
        DependencyMap gossip = extract(inventory(replicas, List.of(set("r", "svc", "tcp/80")),
                List.of(microservice("svc", "tcp/80")),
                List.of(policy("r", List.of(rule("r", "udp/7946")), List.of(rule("r", "udp/7946")))), List.of()));
        assertEquals(ports("udp/7946"), gossip.allowed("r1", "r2"), "explicit gossip port, not bounded by service ports");
        assertEquals(List.of(), gossip.allowed("r1", "r1"), "never itself");
    }

    @Test
    void everythingElseIsDeniedEvenWhereServicePortsExist() {
        DependencyMap deps = extract(inventory(List.of(container("web1", "web", 2), container("db1", "db", 3)),
                List.of(set("web", "shop", "tcp/80"), set("db", "shop", "tcp/5432")),
                List.of(microservice("shop", "tcp/80")), List.of(), List.of()));
        assertEquals(List.of(), deps.allowed("web1", "db1"));
        assertEquals(List.of(), deps.allowed("db1", "web1"));
        assertEquals(List.of(), deps.dependencies());
    }

    @Test
    void unknownContainersHaveNoDependencies() {
        DependencyMap deps = extract(inventory(List.of(container("a1", "a", 2)), List.of(set("a", null)), List.of(),
                List.of(), List.of()));
        assertEquals(List.of(), deps.allowed("a1", "ghost"));
    }

    /**
     * The paper's Figure 6 (examples/topologies/webservice.yaml): WebApp -> Service any, WebApp -> Database
     * tcp/3306, Service -> Database tcp/3307, all in one microservice; "any" towards Service is bounded by its
     * internal service port (constraint 2). Nothing else, in particular not between the WebApp replicas.
     */
    @Test
    void figure6YieldsExactlyTheDependencyMap() throws Exception {
        DependencyMap deps = extract(InventoryReader.read(Path.of("../examples/topologies/webservice.yaml")));
        assertEquals(List.of(
                new Dependency("service-1", "database-1", ports("tcp/3307")),
                new Dependency("webapp-1", "database-1", ports("tcp/3306")),
                new Dependency("webapp-1", "service-1", ports("tcp/8080")),
                new Dependency("webapp-2", "database-1", ports("tcp/3306")),
                new Dependency("webapp-2", "service-1", ports("tcp/8080"))), deps.dependencies());
    }

    @Test
    void killChainGivesTheGuestOnlyItsOwnRedis() throws Exception {
        DependencyMap deps = extract(InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml")));
        assertEquals(List.of(
                new Dependency("nginx-guest", "redis-guest", ports("tcp/6379")),
                new Dependency("nginx-user", "redis-user", ports("tcp/6379"))), deps.dependencies());
        for (String user : List.of("nginx-user", "redis-user")) {
            assertEquals(List.of(), deps.allowed("nginx-guest", user));
            assertEquals(List.of(), deps.allowed("redis-guest", user));
            assertEquals(List.of(), deps.allowed("node-exporter", user));
        }
    }
}
