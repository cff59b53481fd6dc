package dev.bastion.policies.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.MacAddress;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.source.InvalidSourceException;
import dev.bastion.policies.source.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InventoryReaderTest {
    private static final Path FILE = Path.of("bad.yaml");
    private static final String HEAD = """
            apiVersion: bastion.dev/v1
            kind: Inventory
            name: t
            networks:
              - name: bridge
                subnet: 172.17.0.0/16
                gateway: 172.17.0.1
            """;

    @ParameterizedTest
    @ValueSource(strings = {"kill-chain.yaml", "webservice.yaml", "two-node.yaml"})
    void readsEveryExampleTopology(String name) throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies", name));
        assertTrue(inventory.containers().size() >= 4, "containers of " + name);
        assertTrue(!inventory.policies().isEmpty(), "policies of " + name);
    }

    @Test
    void fillsDockerDefaults() throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
        Container nginx = inventory.container("nginx-user").orElseThrow();
        assertEquals("node1", nginx.node());
        assertEquals("bridge", nginx.network().orElseThrow());
        assertEquals("nginx-user", nginx.containerSet());
        assertEquals(MacAddress.parse("02:42:ac:11:00:02"), nginx.mac().orElseThrow());
        Container exporter = inventory.container("node-exporter").orElseThrow();
        assertTrue(exporter.hostNetwork());
        assertTrue(exporter.ip().isEmpty());
    }

    @Test
    void readsPoliciesAndServices() throws Exception {
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/webservice.yaml"));
        var webapp = inventory.policies().stream().filter(p -> p.containerSet().equals("webapp")).findFirst().orElseThrow();
        assertEquals(List.of(PortSpec.ANY), webapp.egress().get(0).ports());
        assertEquals(List.of(PortSpec.parse("tcp/3306")), webapp.egress().get(1).ports());
        assertEquals(3306, inventory.services().get(0).targetPort());
    }

    @Test
    void rejectsUnknownField() {
        Problem p = single(HEAD + """
                containers:
                  - name: a
                    ip: 172.17.0.2
                    adress: 1.2.3.4
                """);
        assertEquals(11, p.line());
        assertEquals("containers[0].adress", p.field());
        assertTrue(p.message().startsWith("unknown field"), p.message());
    }

    @Test
    void rejectsDuplicateIp() {
        Problem p = single(HEAD + """
                containers:
                  - name: a
                    ip: 172.17.0.2
                  - name: b
                    ip: 172.17.0.2
                """);
        assertEquals(12, p.line());
        assertEquals("containers[1].ip", p.field());
        assertTrue(p.message().contains("already taken by container a"), p.message());
    }

    @Test
    void rejectsDuplicateName() {
        Problem p = single(HEAD + """
                containers:
                  - name: a
                    ip: 172.17.0.2
                  - name: a
                    ip: 172.17.0.3
                """);
        assertEquals(11, p.line());
        assertEquals("containers[1].name", p.field());
        assertTrue(p.message().contains("duplicate container name"), p.message());
    }

    @Test
    void rejectsIpOutsideSubnet() {
        Problem p = single(HEAD + """
                containers:
                  - name: a
                    ip: 172.18.0.2
                """);
        assertEquals(10, p.line());
        assertEquals("containers[0].ip", p.field());
        assertTrue(p.message().contains("outside the subnet 172.17.0.0/16"), p.message());
    }

    @Test
    void rejectsNameTooLong() {
        Problem p = single(HEAD + """
                containers:
                  - name: %s
                    ip: 172.17.0.2
                """.formatted("x".repeat(64)));
        assertEquals(9, p.line());
        assertEquals("containers[0].name", p.field());
        assertTrue(p.message().contains("too long"), p.message());
    }

    @Test
    void reportsEveryProblemOfAFile() {
        InvalidSourceException e = assertThrows(InvalidSourceException.class, () -> InventoryReader.parse(FILE, HEAD + """
                containers:
                  - name: a
                    ip: 172.17.0.300
                  - name: B
                    ip: 172.17.0.3
                    mac: 01:00:5e:00:00:01
                """));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yaml:10: containers[0].ip"), e.getMessage());
    }

    @Test
    void rejectsSyntaxErrorsWithTheirLine() {
        Problem p = single(HEAD + "containers: [\n  - oops\n");
        assertEquals("(syntax)", p.field());
        assertTrue(p.line() >= 9, "line " + p.line());
    }

    @Test
    void multiNodeNeedsUnderlayAddresses() {
        Problem p = single("""
                apiVersion: bastion.dev/v1
                kind: Inventory
                name: t
                underlay: 10.250.0.0/24
                nodes:
                  - name: n1
                    underlayIp: 10.250.0.1
                  - name: n2
                """);
        assertEquals(8, p.line());
        assertTrue(p.message().contains("underlayIp is required"), p.message());
    }

    private static final String TWO_SETS = HEAD + """
            containers:
              - name: a
                ip: 172.17.0.2
              - name: b
                ip: 172.17.0.3
            """;

    @Test
    void rejectsPoliciesNamingUnknownContainerSets() {
        Problem p = single(TWO_SETS + """
                policies:
                  - containerSet: a
                    egress:
                      - to: c
                """);
        assertEquals(16, p.line());
        assertEquals("policies[0].egress[0].to", p.field());
        assertTrue(p.message().contains("unknown container set 'c'"), p.message());
    }

    @Test
    void rejectsOverlappingPortSpecs() {
        Problem p = egressOfAToB("""
                        ports: [tcp/80-90, udp/80, tcp/85]
                """);
        assertEquals(17, p.line());
        assertEquals("policies[0].egress[0].ports[2]", p.field());
        assertTrue(p.message().contains("tcp/85 overlaps tcp/80-90"), p.message());
    }

    @Test
    void rejectsAPeerNamedTwiceInOneDirection() {
        Problem p = egressOfAToB("""
                        ports: [tcp/80]
                      - to: b
                        ports: [tcp/81]
                """);
        assertEquals(18, p.line());
        assertTrue(p.message().contains("b is already named at line 16"), p.message());
    }

    @Test
    void rejectsContradictoryEgressAndIngress() {
        Problem p = egressOfAToB("""
                        ports: [tcp/80]
                  - containerSet: b
                    ingress:
                      - from: a
                        ports: [udp/80]
                """);
        assertEquals(16, p.line());
        assertEquals("policies[0].egress[0].to", p.field());
        assertTrue(p.message().contains("allows nothing: a -> b") && p.message().contains("ingress rule at line 20"),
                p.message());
    }

    @Test
    void rejectsARuleOutsideTheTargetsServicePorts() {
        Problem p = single(TWO_SETS + """
                microservices:
                  - name: m
                containerSets:
                  - name: a
                    microservice: m
                  - name: b
                    microservice: m
                    internalPorts: [tcp/443]
                policies:
                  - containerSet: a
                    egress:
                      - to: b
                        ports: [tcp/80]
                """);
        assertTrue(p.message().contains("allows nothing: a -> b") && p.message().contains("service ports of b"),
                p.message());
    }

    @Test
    void rejectsTwoPoliciesForOneSet() {
        Problem p = single(TWO_SETS + """
                policies:
                  - containerSet: a
                  - containerSet: a
                """);
        assertEquals(15, p.line());
        assertTrue(p.message().contains("already has a policy at line 14"), p.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.17.0.1/16", "172.17.0.0/33", "172.17.0.0/", "172.17.0/16", "172.17.0.0/+16"})
    void rejectsMalformedSubnets(String subnet) {
        Problem p = single(HEAD.replace("172.17.0.0/16", subnet));
        assertEquals(6, p.line());
        assertEquals("networks[0].subnet", p.field());
    }

    private static Problem egressOfAToB(String rest) {
        return single(TWO_SETS + """
                policies:
                  - containerSet: a
                    egress:
                      - to: b
                """ + rest);
    }

    private static Problem single(String text) {
        InvalidSourceException e = assertThrows(InvalidSourceException.class, () -> InventoryReader.parse(FILE, text));
        assertEquals(1, e.problems().size(), e.getMessage());
        Problem p = e.problems().get(0);
        assertEquals(FILE, p.file());
        return p;
    }
}
