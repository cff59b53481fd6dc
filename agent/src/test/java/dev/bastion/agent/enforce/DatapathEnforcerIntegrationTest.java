package dev.bastion.agent.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.daemon.PolicyReport;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.events.EventLog;
import dev.bastion.agent.events.FlowRecord;
import dev.bastion.agent.enforce.DatapathEnforcer.Mode;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.Reason;
import dev.bastion.policies.inventory.InventoryReader;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The kill-chain lab protected by the real datapath, in both hooks: what the policy allows works, the rest (a
 * non-dependent container, the gateway, an unlisted port) does not, and the counters say why.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "attaches XDP/tc programs: needs root")
class DatapathEnforcerIntegrationTest {
    private final Shell shell = Shell.system();
    private final List<Process> servers = new ArrayList<>();
    private Lab lab;
    private Datapath datapath;
    private FlowEventPump pump;

    @AfterEach
    void removeEverything() throws InterruptedException {
        servers.forEach(Process::destroyForcibly);
        if (pump != null) {
            pump.close();
        }
        if (datapath != null) {
            datapath.remove();
            datapath.close();
        }
        if (lab != null) {
            lab.down();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void enforcesTheKillChainPartitions(Mode mode) throws Exception {
        String prefix = "e" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Inventory inventory = InventoryReader.read(Path.of("../examples/topologies/kill-chain.yaml"));
        LabNames names = new LabNames(inventory, prefix);
        lab = new Lab(inventory, names, shell);
        lab.up();
        serve(container(inventory, "redis-guest"), "172.17.0.5", 6379);
        serve(container(inventory, "redis-guest"), "172.17.0.5", 8000);
        serve(container(inventory, "nginx-user"), "172.17.0.2", 80);
        serve(container(inventory, "redis-user"), "172.17.0.3", 6379);
        start(lab.onNode("node1", server("172.17.0.1", 8080)), "172.17.0.1", 8080);
        assertTrue(fetches(container(inventory, "nginx-guest"), "172.17.0.1", 8080), "the baseline reaches the host");

        datapath = Datapath.open(Datapath.BPFFS_ROOT.resolve("test-" + prefix.replace("-", "")));
        DatapathEnforcer enforcer = LabProtection.protect(lab, datapath, mode);
        PolicyView view = PolicyView.of(inventory);
        EventLog<FlowRecord> flows = new EventLog<>(1024);
        pump = new FlowEventPump(datapath, () -> view, flows);

        Container guest = container(inventory, "nginx-guest");
        assertTrue(fetches(guest, "172.17.0.5", 6379), () -> "nginx-guest -> redis-guest tcp/6379 is the policy; "
                + "counters: " + datapath.counters().read(enforcer.protectedAs("nginx-guest").orElseThrow()) + " / "
                + datapath.counters().read(enforcer.protectedAs("redis-guest").orElseThrow()));
        assertTrue(fetches(container(inventory, "nginx-user"), "172.17.0.3", 6379), "nginx-user -> redis-user");
        assertFalse(fetches(guest, "172.17.0.5", 8000), "a dependency's other port");
        assertFalse(fetches(guest, "172.17.0.2", 80), "a container it has no dependency on");
        assertFalse(fetches(guest, "172.17.0.1", 8080), "the host through the gateway");

        int id = enforcer.protectedAs("nginx-guest").orElseThrow();
        assertTrue(enforcer.protectedAs("node-exporter").isEmpty(), "a host-network container has no veth to guard");
        Map<Reason, ?> counters = datapath.counters().read(id);
        assertTrue(datapath.counters().read(id, Reason.FORWARD_LOCAL).packets() > 0, counters.toString());
        assertTrue(datapath.counters().read(id, Reason.ARP_REPLIED).packets() > 0, counters.toString());
        assertTrue(datapath.counters().read(id, Reason.PORT_DENIED).packets() > 0, counters.toString());
        assertTrue(datapath.counters().read(id, Reason.ARP_DENIED).packets() > 0, counters.toString());
        assertTrue(datapath.counters().read(id, Reason.GATEWAY).packets() > 0, counters.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (flows.latest(100, f -> !f.allowed()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<FlowRecord> seen = flows.latest(1000, f -> "nginx-guest".equals(f.srcContainer())).stream()
                .map(EventLog.Entry::event).toList();
        assertTrue(seen.stream().anyMatch(f -> f.allowed() && "redis-guest".equals(f.dstContainer())
                && f.dstPort() == 6379 && f.protocol().equals("tcp")), seen.toString());
        assertTrue(seen.stream().anyMatch(f -> !f.allowed() && f.dstPort() == 8000
                && f.reason().equals("port-denied")), seen.toString());
        // The policy assistant over this run's real flows: both dependencies used, one denied flow without a policy.
        Map<String, Object> report = PolicyReport.of(view, flows);
        assertEquals(2, report.get("legitimate"), report.get("text").toString());
        assertEquals(0, report.get("excessive"), report.get("text").toString());
        assertTrue((Integer) report.get("missing") >= 1, report.get("text").toString());
        assertTrue(report.get("patch").toString().contains("- to: nginx-user"), report.get("patch").toString());
        assertEquals(List.of("nginx-guest", "nginx-user", "redis-guest", "redis-user"),
                datapath.links().stream().filter(l -> !l.endsWith("-pass") && !l.endsWith("-egress")).toList());
        assertTrue(datapath.links().containsAll(List.of("nginx-guest-egress", "redis-user-egress")),
                "every container's veth has the egress guard: " + datapath.links());
    }

    private static Container container(Inventory inventory, String name) {
        return inventory.container(name).orElseThrow();
    }

    /** A small HTTP server bound to one address and port, in a container; returns once it answers the node. */
    private void serve(Container container, String ip, int port) throws Exception {
        start(lab.inContainer(container, server(ip, port)), ip, port);
    }

    private void start(List<String> argv, String ip, int port) throws Exception {
        servers.add(new ProcessBuilder(argv).start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!shell.succeeds(lab.onNode("node1", curl(ip, port)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server " + ip + ":" + port + " did not start");
            }
            Thread.sleep(100);
        }
    }

    private static List<String> server(String ip, int port) throws Exception {
        Path root = Files.createTempDirectory("bastion-www");
        Files.writeString(root.resolve("index.html"), "ok\n");
        return List.of("/usr/bin/python3", "-m", "http.server", Integer.toString(port), "--bind", ip,
                "--directory", root.toString());
    }

    /** Whether an HTTP GET from {@code from} gets an answer within two seconds. */
    private boolean fetches(Container from, String ip, int port) {
        return shell.succeeds(lab.inContainer(from, curl(ip, port)));
    }

    private static List<String> curl(String ip, int port) {
        return List.of("curl", "-s", "-o", "/dev/null", "--max-time", "2", "http://" + ip + ":" + port + "/");
    }
}
