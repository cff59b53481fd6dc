package dev.bastion.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent as operators run it, a process in the lab node's namespace: it protects the kill-chain lab, is killed
 * with SIGKILL in the middle of a download, and enforcement does not lapse: the download completes, what was denied
 * stays denied, and a restarted agent adopts the pinned state. {@code --uninstall} then removes all of it.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "runs the agent on a lab: needs root")
class AgentRestartIntegrationTest {
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
            agents.uninstall(pins, List.of("node1"));
        }
        if (lab != null) {
            lab.down();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc"})
    void enforcementOutlivesAKilledAgentAndARestartAdoptsIt(String mode) throws Exception {
        String prefix = "r" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Path inventoryFile = Path.of("../examples/topologies/kill-chain.yaml").toAbsolutePath();
        Inventory inventory = InventoryReader.read(inventoryFile);
        LabNames names = new LabNames(inventory, prefix);
        lab = new Lab(inventory, names, shell);
        lab.up();
        agents = new AgentProcesses(dir);
        Container guest = inventory.container("nginx-guest").orElseThrow();
        Path www = Files.createDirectories(dir.resolve("www"));
        try (RandomAccessFile big = new RandomAccessFile(www.resolve("big").toFile(), "rw")) {
            big.setLength(24L << 20);
        }
        servers.add(new ProcessBuilder(lab.inContainer(inventory.container("redis-guest").orElseThrow(), List.of(
                "/usr/bin/python3", "-m", "http.server", "6379", "--bind", "172.17.0.5", "--directory", www.toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start());
        servers.add(new ProcessBuilder(lab.inContainer(inventory.container("nginx-user").orElseThrow(), List.of(
                "/usr/bin/python3", "-m", "http.server", "80", "--bind", "172.17.0.2", "--directory", www.toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("server2.log").toFile()).start());
        await(() -> fetches(guest, "172.17.0.5:6379") && fetches(guest, "172.17.0.2:80"), "servers up on the bridge");

        pins = Path.of("/sys/fs/bpf/bastion/test-" + prefix.replace("-", ""));
        List<String> agentArgs = List.of("agent", "--inventory", inventoryFile.toString(), "--node", "node1");
        Map<String, String> env = Map.of("BASTION_LAB_PREFIX", prefix, "BASTION_DATAPATH_PIN_ROOT", pins.toString(),
                "BASTION_DATAPATH_MODE", mode, "BASTION_CHAINS", dir.resolve("no-chains").toString());
        Process agent = agents.startIn(names.nodeNamespace("node1"), env, agentArgs, "agent1.log");
        Path links = pins.resolve("node1").resolve("links");
        await(() -> Files.exists(links.resolve("redis-user")) && !fetches(guest, "172.17.0.2:80"), "lab protected");
        assertTrue(fetches(guest, "172.17.0.5:6379"), "the policy's flow works under the agent");

        Process download = new ProcessBuilder(lab.inContainer(guest, List.of("curl", "-s", "-o", "/dev/null",
                "-w", "%{size_download}", "--limit-rate", "4M", "--max-time", "60", "http://172.17.0.5:6379/big")))
                .redirectErrorStream(true).start();
        servers.add(download);
        Thread.sleep(1500);
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertFalse(agent.isAlive());
        assertFalse(fetches(guest, "172.17.0.2:80"), "denied stays denied without the agent");
        assertTrue(download.waitFor(60, TimeUnit.SECONDS), "the download finishes");
        assertEquals(0, download.exitValue());
        assertEquals(Long.toString(24L << 20), new String(download.getInputStream().readAllBytes()).strip(),
                "every byte of the flow arrived across the agent's death");

        Process restarted = agents.startIn(names.nodeNamespace("node1"), env, agentArgs, "agent2.log");
        await(() -> agents.log("agent2.log").contains("partition changes on this node"), "the restarted agent reconciled");
        assertTrue(agents.log("agent2.log").contains("maps adopted from pins"), agents.log("agent2.log"));
        assertTrue(fetches(guest, "172.17.0.5:6379"));
        assertFalse(fetches(guest, "172.17.0.2:80"));
        restarted.destroy();
        assertTrue(restarted.waitFor(20, TimeUnit.SECONDS), "SIGTERM stops the agent");

        Process uninstall = uninstall();
        assertTrue(uninstall.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, uninstall.exitValue());
        assertFalse(Files.exists(links.resolve("nginx-guest")), "links removed");
        await(() -> fetches(guest, "172.17.0.2:80"), "unprotected again: the plain bridge");
    }

    private Process uninstall() throws IOException {
        return agents.start(Map.of("BASTION_DATAPATH_PIN_ROOT", pins.toString(), "BASTION_NODE", "node1"),
                List.of("agent", "--uninstall"), "uninstall.log");
    }

    private boolean fetches(Container from, String address) {
        return shell.succeeds(lab.inContainer(from, List.of("curl", "-s", "-o", "/dev/null", "--max-time", "2",
                "http://" + address + "/")));
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        agents.await(condition, what, "agent1.log", "agent2.log");
    }
}
