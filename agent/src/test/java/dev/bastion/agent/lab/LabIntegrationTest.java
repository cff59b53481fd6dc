package dev.bastion.agent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Builds the example topologies in real network namespaces and checks Docker-like connectivity. */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates network namespaces: needs root")
class LabIntegrationTest {
    private static final Path TOPOLOGIES = Path.of("../examples/topologies");
    private final Shell shell = Shell.system();
    private final List<Lab> made = new ArrayList<>();

    @AfterEach
    void removeEverything() {
        made.forEach(Lab::down);
        for (Lab lab : made) {
            List<String> left = leftovers(lab);
            assertTrue(left.isEmpty(), "left behind: " + left);
        }
    }

    @Test
    void killChainContainersReachGatewayAndEachOther() throws Exception {
        Lab lab = lab("kill-chain.yaml");
        lab.up();
        assertEquals(LabStatus.State.UP, lab.status().state());
        List<Container> containers = ownNamespace(lab);
        for (Container from : containers) {
            assertTrue(lab.reaches(from, gateway(lab, from)), from.name() + " -> gateway");
            for (Container to : containers) {
                if (to != from) {
                    assertTrue(lab.reaches(from, to.ip().orElseThrow().toString()), from.name() + " -> " + to.name());
                }
            }
        }
        Container nginx = lab.inventory().container("nginx-user").orElseThrow();
        String eth = shell.run(lab.inContainer(nginx, List.of("ip", "-br", "link", "show", "eth0")));
        assertTrue(eth.contains("02:42:ac:11:00:02"), eth);
    }

    @Test
    void hostNetworkContainerSeesTheBridge() throws Exception {
        Lab lab = lab("kill-chain.yaml");
        lab.up();
        Inventory inv = lab.inventory();
        Container exporter = inv.container("node-exporter").orElseThrow();
        Container nginx = inv.container("nginx-user").orElseThrow();
        Container redis = inv.container("redis-user").orElseThrow();
        String bridge = lab.names().bridge(inv.networks().get(0));
        // The network-privileged container captures on the bridge what two other containers say to each other.
        Process capture = new ProcessBuilder(lab.inContainer(exporter, List.of("timeout", "10", "tcpdump", "-l", "-n",
                "-i", bridge, "-c", "2", "icmp and host " + redis.ip().orElseThrow())))
                .redirectErrorStream(false).start();
        Thread.sleep(1000); // tcpdump needs a moment to open its socket
        for (int i = 0; i < 5 && capture.isAlive(); i++) {
            lab.reaches(nginx, redis.ip().orElseThrow().toString());
        }
        assertTrue(capture.waitFor(15, TimeUnit.SECONDS), "tcpdump did not finish");
        String seen = new String(capture.getInputStream().readAllBytes());
        assertTrue(seen.contains(nginx.ip().orElseThrow() + " > " + redis.ip().orElseThrow()), "captured: " + seen);
    }

    @Test
    void hostNetworkContainerHasItsOwnMountNamespaceButTheNodesNetwork() throws Exception {
        Lab lab = lab("kill-chain.yaml");
        lab.up();
        Container exporter = lab.inventory().container("node-exporter").orElseThrow();
        List<String> readNs = List.of("readlink", "/proc/self/ns/net", "/proc/self/ns/mnt");
        List<String> container = shell.run(lab.inContainer(exporter, readNs)).lines().toList();
        List<String> node = shell.run(lab.onNode(exporter.node(), readNs)).lines().toList();
        List<String> host = shell.run(readNs).lines().toList();
        assertEquals(node.get(0), container.get(0), "same network namespace as its node");
        assertFalse(host.get(0).equals(node.get(0)), "the lab node is not the real host's network namespace");
        assertEquals(host.get(1), node.get(1), "node tools run in the host's mount namespace");
        assertFalse(host.get(1).equals(container.get(1)), "the container has a mount namespace of its own");
    }

    @Test
    void webserviceReplicasReachEachOtherAndTheGateway() throws Exception {
        Lab lab = lab("webservice.yaml");
        lab.up();
        Container web1 = lab.inventory().container("webapp-1").orElseThrow();
        Container db = lab.inventory().container("database-1").orElseThrow();
        assertTrue(lab.reaches(web1, gateway(lab, web1)));
        assertTrue(lab.reaches(web1, db.ip().orElseThrow().toString()));
        assertTrue(lab.reaches(db, lab.inventory().container("webapp-2").orElseThrow().ip().orElseThrow().toString()));
    }

    @Test
    void twoNodeContainersReachAcrossNodes() throws Exception {
        Lab lab = lab("two-node.yaml");
        lab.up();
        assertEquals(7, lab.namespaces().size(), "4 containers, 2 nodes and the underlay: " + lab.namespaces());
        Container front1 = lab.inventory().container("frontend-1").orElseThrow();
        Container back2 = lab.inventory().container("backend-2").orElseThrow();
        Container front2 = lab.inventory().container("frontend-2").orElseThrow();
        assertTrue(lab.reaches(front1, back2.ip().orElseThrow().toString()), "node1 -> node2");
        assertTrue(lab.reaches(back2, front1.ip().orElseThrow().toString()), "node2 -> node1");
        assertTrue(lab.reaches(front2, gateway(lab, front2)));
    }

    @Test
    void upTwiceIsHarmless() throws Exception {
        Lab lab = lab("webservice.yaml");
        lab.up();
        lab.up();
        assertEquals(LabStatus.State.UP, lab.status().state());
        Container web1 = lab.inventory().container("webapp-1").orElseThrow();
        assertTrue(lab.reaches(web1, gateway(lab, web1)));
    }

    @Test
    void downRemovesAHalfBuiltLab() throws Exception {
        Inventory inventory = InventoryReader.read(TOPOLOGIES.resolve("two-node.yaml"));
        LabNames names = new LabNames(inventory, uniquePrefix());
        AtomicInteger commands = new AtomicInteger();
        // Fails the 12th command: the lab is then half built, as after a crash.
        Shell failing = new Shell() {
            @Override
            public String run(List<String> argv) {
                if (!argv.contains("list") && commands.incrementAndGet() == 12) {
                    throw new LabException("injected failure at " + argv);
                }
                return shell.run(argv);
            }

            @Override
            public boolean succeeds(List<String> argv) {
                return shell.succeeds(argv);
            }
        };
        Lab crashing = new Lab(inventory, names, failing);
        made.add(new Lab(inventory, names, shell));
        assertThrows(LabException.class, crashing::up);
        assertEquals(LabStatus.State.DOWN, crashing.status().state(), "up cleans up after its own failure");

        // A crash that up cannot clean up after: only some namespaces made, then the process is gone.
        shell.run(List.of("ip", "netns", "add", names.nodeNamespace("node1")));
        shell.run(List.of("ip", "netns", "add", names.containerNamespace(inventory.container("frontend-1").orElseThrow())));
        Lab lab = new Lab(inventory, names, shell);
        assertEquals(LabStatus.State.PARTIAL, lab.status().state());
        lab.down();
        assertEquals(LabStatus.State.DOWN, lab.status().state());
        assertTrue(leftovers(lab).isEmpty());
    }

    private Lab lab(String file) throws Exception {
        Inventory inventory = InventoryReader.read(TOPOLOGIES.resolve(file));
        Lab lab = new Lab(inventory, new LabNames(inventory, uniquePrefix()), shell);
        made.add(lab);
        return lab;
    }

    private static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 6) + "-";
    }

    private static List<Container> ownNamespace(Lab lab) {
        return lab.inventory().containers().stream().filter(c -> !c.hostNetwork()).toList();
    }

    private static String gateway(Lab lab, Container c) {
        ContainerNetwork network = lab.inventory().network(c.network().orElseThrow()).orElseThrow();
        return network.gateway().toString();
    }

    private List<String> leftovers(Lab lab) {
        String all = shell.run(List.of("ip", "netns", "list"));
        return lab.namespaces().stream().filter(ns -> all.lines().anyMatch(l -> l.split("\\s+")[0].equals(ns))).toList();
    }
}
