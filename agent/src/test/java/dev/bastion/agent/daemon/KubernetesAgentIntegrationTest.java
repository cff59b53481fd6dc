package dev.bastion.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.DatapathInterfaces;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.collect.KubernetesCollector;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Ipv4Address;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The agent with the Kubernetes collector, end to end: pods on fabric8's mock API server stand for the lab's
 * containers (same IPs, other names, no MACs), and the real agent finds their veths by pod IP, learns their MACs
 * from their namespaces and protects them. Real traffic then follows the NetworkPolicies as they change, and a
 * deleted pod loses its protection.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "runs the agent on a lab: needs root")
@EnableKubernetesMockClient(crud = true)
class KubernetesAgentIntegrationTest {
    private static final String NODE = "node1";
    private static final String DB = "10.10.0.31";
    private static final String CART = "10.10.0.21";
    private static final String GATEWAY = "10.10.0.1";
    private static final String REMOTE_NODE = "node2";
    /** A made-up address: nothing is sent to it. */
    private static final String REMOTE_DB = "10.20.0.31";
    static KubernetesClient client;

    private static final Shell shell = Shell.system();
    /** What the test set up, undone in reverse order at the end: each step runs even if an earlier one fails. */
    private static final Deque<Runnable> undo = new ArrayDeque<>();
    private static Lab lab;
    private static Datapath datapath;
    private static Agent agent;
    private static DatapathEnforcer enforcer;

    @BeforeAll
    static void labUp() throws Exception {
        String prefix = "k" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/webservice.yaml"));
        lab = new Lab(inventory, new LabNames(inventory, prefix), shell);
        undo.push(lab::down);
        lab.up();
        serve(container("database-1"), DB, 3306);
        serve(container("database-1"), DB, 3307);
        serve(container("service-1"), CART, 80);
        datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-" + prefix.replace("-", "")));
        undo.push(() -> {
            datapath.remove();
            datapath.close();
        });
    }

    @AfterAll
    static void removeEverything() {
        RuntimeException failure = null;
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void podsAreProtectedAndFollowTheirNetworkPolicies() throws Exception {
        Container web1 = container("webapp-1");
        Container web2 = container("webapp-2");
        Container cart = container("service-1");
        assertTrue(fetches(web1, DB, 3307) && fetches(web1, CART, 80), "the unprotected bridge lets everything through");

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .addToLabels("kubernetes.io/metadata.name", "shop").endMetadata().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata()
                .withNewSpec().withPodCIDR("10.10.0.0/24").endSpec().build()).create();
        pod("web-1", web1, "web");
        pod("web-2", web2, "web");
        pod("cart", cart, "cart");
        pod("db", container("database-1"), "db");
        // A replica on another node: no veth here and no MAC, reached through its node.
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(REMOTE_NODE).endMetadata()
                .withNewSpec().withPodCIDR("10.20.0.0/24").endSpec().withNewStatus().addNewAddress()
                .withType("InternalIP").withAddress("192.0.2.2").endAddress().endStatus().build()).create();
        pod("db-2", REMOTE_NODE, REMOTE_DB, "db");
        policy("web", 3306);

        startAgent();
        await(() -> List.of("shop/web-1", "shop/web-2", "shop/cart", "shop/db").stream()
                .allMatch(p -> enforcer.protectedAs(p).isPresent()), "every pod protected");
        assertTrue(enforcer.protectedAs("shop/db-2").isEmpty(), "another node's pod is not protected here");
        int web1Id = enforcer.protectedAs("shop/web-1").orElseThrow();
        assertTrue(datapath.peers().get(web1Id, Ipv4Address.parse(REMOTE_DB).bits()).isPresent(),
                "the remote replica is web-1's peer");
        assertTrue(datapath.peers().get(enforcer.protectedAs("shop/cart").orElseThrow(),
                Ipv4Address.parse(REMOTE_DB).bits()).isEmpty(), "but not cart's");
        assertEquals(container("database-1").mac(), agent.view().inventory().container("shop/db").orElseThrow().mac(),
                "the pod's MAC, which the API does not know, is read from its interface");
        assertTrue(datapath.links().containsAll(List.of("shop:db", "shop:db-pass", "shop:db-egress")),
                datapath.links().toString());
        await(() -> fetches(web1, DB, 3306), "web-1 -> db tcp/3306, the NetworkPolicy's port");
        assertTrue(fetches(web2, DB, 3306), "the other replica too");
        assertTrue(arps(web1, DB), "ARP is answered for a peer");
        assertFalse(fetches(web1, DB, 3307), "a port the NetworkPolicy does not list");
        assertFalse(fetches(cart, DB, 3306), "a pod the NetworkPolicy does not select");
        assertFalse(fetches(web1, CART, 80), "a pod web-1 has no dependency on");
        assertFalse(arps(web1, CART), "ARP for a pod web-1 has no dependency on goes unanswered");
        assertFalse(lab.reaches(cart, GATEWAY), "the node through the gateway");

        policy("web", 3306, 3307);
        await(() -> fetches(web1, DB, 3307), "the port added to the NetworkPolicy passes after the next poll");
        assertTrue(fetches(web1, DB, 3306));
        assertFalse(fetches(cart, DB, 3307));

        policy("cart", 3306);
        await(() -> !fetches(web1, DB, 3306), "web's ingress rule removed: web-1 -> db refused");
        await(() -> fetches(cart, DB, 3306), "cart's ingress rule added: cart -> db passes");
        assertFalse(fetches(cart, DB, 3307), "only the port of cart's rule");

        client.pods().inNamespace("shop").withName("cart").delete();
        await(() -> enforcer.protectedAs("shop/cart").isEmpty(), "the deleted pod's protection removed");
        assertFalse(datapath.links().stream().anyMatch(l -> l.startsWith("shop:cart")), datapath.links().toString());
        assertTrue(lab.reaches(cart, GATEWAY), "its interface, no longer guarded, reaches the node again");
        assertTrue(enforcer.protectedAs("shop/db").isPresent() && enforcer.protectedAs("shop/web-2").isPresent(),
                "the other pods stay protected");
        assertFalse(fetches(web2, DB, 3306), "and keep their policy");
    }

    /** The agent as it runs on the lab's node: started from the node's namespace, where its poll thread then lives. */
    private static void startAgent() throws Exception {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.NODE, NODE);
        settings.put(Setting.COLLECTOR, "kubernetes");
        settings.put(Setting.DATAPATH_INTERFACES, "kubernetes");
        settings.put(Setting.POLL_INTERVAL, "200ms");
        settings.put(Setting.API_ADDRESS, "127.0.0.1:0");
        AgentConfig config = AgentConfig.load(Optional.empty(), Map.of(), settings);
        // The collector's informers connect to the mock server from the test's namespace, before the agent moves.
        DatapathInterfaces interfaces = DatapathInterfaces.of(config, new KubernetesCollector(client));
        enforcer = new DatapathEnforcer(datapath, DatapathEnforcer.Mode.XDP, interfaces.of());
        agent = new Agent(config, interfaces.collector(), enforcer);
        undo.push(agent::close);
        NetworkNamespace.run(lab.names().nodeNamespace(NODE), () -> {
            try {
                agent.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A running pod holding a lab container's IP, named differently: the mapping goes by IP. */
    private static void pod(String name, Container stand, String app) {
        pod(name, NODE, stand.ip().orElseThrow().toString(), app);
    }

    private static void pod(String name, String node, String ip, String app) {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(name).withNamespace("shop")
                .addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("img").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus()
                .build()).create();
    }

    /** Creates or replaces db's one NetworkPolicy: ingress from the pods labelled app={@code from} on these ports. */
    private static void policy(String from, int... ports) {
        NetworkPolicyBuilder policy = new NetworkPolicyBuilder()
                .withNewMetadata().withName("db-ingress").withNamespace("shop").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector()
                .withPolicyTypes("Ingress").endSpec();
        var rule = policy.editSpec().addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("app", from)
                .endPodSelector().endFrom();
        for (int port : ports) {
            rule = rule.addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort();
        }
        client.network().v1().networkPolicies().inNamespace("shop").resource(rule.endIngress().endSpec().build())
                .createOr(NonDeletingOperation::update);
    }

    private static Container container(String name) {
        return lab.inventory().container(name).orElseThrow();
    }

    /** A small HTTP server bound to one address and port in a lab container; returns once the node reaches it. */
    private static void serve(Container container, String ip, int port) throws Exception {
        Path root = Files.createTempDirectory("bastion-www");
        Files.writeString(root.resolve("index.html"), "ok\n");
        Process server = new ProcessBuilder(lab.inContainer(container, List.of("/usr/bin/python3", "-m", "http.server",
                Integer.toString(port), "--bind", ip, "--directory", root.toString()))).start();
        undo.push(server::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!shell.succeeds(lab.onNode(NODE, curl(ip, port)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server " + ip + ":" + port + " did not start");
            }
            Thread.sleep(100);
        }
    }

    private static boolean fetches(Container from, String ip, int port) {
        return shell.succeeds(lab.inContainer(from, curl(ip, port)));
    }

    private static List<String> curl(String ip, int port) {
        return List.of("curl", "-s", "-o", "/dev/null", "--max-time", "2", "http://" + ip + ":" + port + "/");
    }

    private static boolean arps(Container from, String ip) {
        return shell.succeeds(lab.inContainer(from, List.of("arping", "-q", "-c", "1", "-w", "1", "-i", "eth0", ip)));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + "; agent status: "
                        + Optional.ofNullable(agent.view()).map(v -> v.inventory().containers()).orElse(List.of()));
            }
            Thread.sleep(200);
        }
    }
}
