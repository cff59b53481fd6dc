package dev.bastion.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabHttp;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code bastion agent} processes, one per node of the two-node lab, configured as an operator would (tc mode,
 * the node's uplink as {@code datapath.external-interface}, one chain file): frontend-1 reaches backend-2 end to
 * end through both datapaths, the chain of node 1 refuses /admin on that flow, and each agent's /metrics shows the
 * other node's containers reached directly.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds a lab, attaches eBPF")
class TwoNodeAgentProcessIntegrationTest {
    private static final String BACKEND_2 = "10.244.2.20";
    private static final List<String> NODES = List.of("node1", "node2");
    private static final Pattern REMOTE_CONTAINERS = Pattern.compile("(?m)^bastion_remote_containers (\\d+)");

    private final Shell shell = Shell.system();
    private final List<Process> servers = new ArrayList<>();
    @TempDir
    Path dir;
    private AgentProcesses agents;
    private Lab lab;
    private Path pins;

    @AfterEach
    void removeEverything() throws Exception {
        servers.forEach(Process::destroyForcibly);
        if (agents != null) {
            agents.close();
            agents.uninstall(pins, NODES);
        }
        if (lab != null) {
            lab.down();
        }
    }

    @Test
    void twoAgentsForwardBetweenTheirNodesAndTheSourceNodesChainInspectsTheFlow() throws Exception {
        String prefix = "n" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Path inventoryFile = Path.of("../examples/topologies/two-node.yaml").toAbsolutePath();
        Inventory inventory = InventoryReader.read(inventoryFile);
        LabNames names = new LabNames(inventory, prefix);
        lab = new Lab(inventory, names, shell);
        lab.up();
        Container frontend1 = inventory.container("frontend-1").orElseThrow();
        servers.add(LabHttp.serve(lab, inventory.container("backend-2").orElseThrow(), BACKEND_2, 8080,
                LabHttp.site(dir), dir.resolve("backend.log")));
        Path chains = LabHttp.adminDenyingChain(dir, "shop-http", "frontend", "backend", "tcp/8080");

        pins = Path.of("/sys/fs/bpf/bastion/test-" + prefix.replace("-", ""));
        agents = new AgentProcesses(dir);
        for (String node : NODES) {
            agents.startIn(names.nodeNamespace(node), Map.of("BASTION_LAB_PREFIX", prefix,
                    "BASTION_DATAPATH_PIN_ROOT", pins.toString(), "BASTION_DATAPATH_MODE", "tc",
                    "BASTION_DATAPATH_EXTERNAL_INTERFACE", LabNames.nodeUplink(), "BASTION_CHAINS", chains.toString(),
                    "BASTION_API_ADDRESS", "127.0.0.1:9447"),
                    List.of("agent", "--inventory", inventoryFile.toString(), "--node", node), node + ".log");
        }
        for (String node : NODES) {
            await(() -> remoteContainers(names.nodeNamespace(node)) > 0,
                    node + "'s agent reaches the other node's containers directly");
        }

        await(() -> "hello".equals(get(frontend1, "/")), "frontend-1 reaches backend-2 through both agents");
        assertEquals("", get(frontend1, "/admin/"), "node 1's chain refuses /admin on the cross-node flow");
        assertEquals("hello", get(frontend1, "/"), "and the rest of the flows still pass");
        String metrics = metrics(names.nodeNamespace("node1"));
        String node2 = metrics(names.nodeNamespace("node2"));
        assertFalse(Pattern.compile("(?m)^bastion_chain_packets_total\\{chain=\"shop-http\",verdict=\"\\w+\"} [1-9]")
                .matcher(node2).find(), "node 2 chains none of it, the flow is node 1's:\n" + node2);
        assertTrue(Pattern.compile("(?m)^bastion_chain_packets_total\\{chain=\"shop-http\",verdict=\"(drop|block_flow)\"} [1-9]")
                .matcher(metrics).find(), metrics);
    }

    private String get(Container from, String path) {
        try {
            return LabHttp.get(lab, from, "http://" + BACKEND_2 + ":8080" + path, 3);
        } catch (Exception e) {
            return "";
        }
    }

    private int remoteContainers(String namespace) {
        Matcher m = REMOTE_CONTAINERS.matcher(metrics(namespace));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The agent's /metrics, read from inside its node's namespace (the API binds to that namespace's loopback). */
    private String metrics(String namespace) {
        try {
            return shell.run(List.of("nsenter", "--net=/run/netns/" + namespace, "--", "curl", "-s", "--max-time",
                    "2", "http://127.0.0.1:9447/metrics"));
        } catch (RuntimeException e) {
            return "";
        }
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        agents.await(condition, what, "node1.log", "node2.log");
    }
}
