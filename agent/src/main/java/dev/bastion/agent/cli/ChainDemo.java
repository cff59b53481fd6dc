package dev.bastion.agent.cli;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.ChainSteering;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.Shell;
import dev.bastion.agent.suricata.SuricataCommand;
import dev.bastion.agent.suricata.SuricataFunctionFactory;
import dev.bastion.agent.suricata.SuricataNode;
import dev.bastion.agent.suricata.SuricataPorts;
import dev.bastion.agent.suricata.SuricataState;
import dev.bastion.agent.suricata.SuricataSupervisor;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.Alert;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.model.Container;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's chaining step: the example chains are loaded as the agent loads them, with Suricata run by the agent's
 * own ports. Two Redis flows are steered through the AF_XDP bridge: nginx-user -> redis-user into the redis-user
 * chain (l4-guard, redis-acl), nginx-guest -> redis-guest into guest-redis-ids (l4-guard, Suricata). A Redis client
 * in each client sends an allowed command and a forbidden one to a Redis-speaking server.
 */
final class ChainDemo {
    /** Answers every RESP command with "+OK <command words>", one connection at a time. */
    private static final String SERVER = """
            import socket
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("%s", 6379)); s.listen()
            while True:
                c, _ = s.accept(); f = c.makefile("rb")
                while True:
                    line = f.readline()
                    if not line.startswith(b"*"): break
                    words = []
                    for _ in range(int(line[1:])): f.readline(); words.append(f.readline().strip())
                    c.sendall(b"+OK " + b" ".join(words) + b"\\r\\n")
                c.close()
            """;
    /** Sends one RESP command and prints the answer, or "(no answer)". */
    private static final String CLIENT = """
            import socket, sys
            words = sys.argv[2:]
            c = socket.create_connection((sys.argv[1], 6379), timeout=3)
            c.sendall(("*%%d\\r\\n" %% len(words) + "".join("$%%d\\r\\n%%s\\r\\n" %% (len(w), w) for w in words)).encode())
            try: print(c.recv(200).decode().strip() or "(connection closed)")
            except OSError: print("(no answer)")
            """;
    private static final Duration SURICATA_START = Duration.ofSeconds(60);

    /** One client's allowed and forbidden command towards its server. */
    private record Exchange(String client, String server, List<List<String>> commands) {
    }

    private static final List<Exchange> EXCHANGES = List.of(
            new Exchange("nginx-user", "redis-user", List.of(List.of("GET", "session:42"), List.of("FLUSHALL"))),
            new Exchange("nginx-guest", "redis-guest", List.of(List.of("GET", "cart:7"),
                    List.of("CONFIG", "SET", "dir", "/var/www/html"))));

    private ChainDemo() {
    }

    static void run(PrintWriter out, Lab lab, Datapath datapath, DatapathEnforcer enforcer, PolicyView view,
            Path chainsDirectory, Path ruleDirectory, Path runtimeDirectory) throws Exception {
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        List<Process> servers = new ArrayList<>();
        String node = lab.names().nodeNamespace(lab.inventory().container("nginx-user").orElseThrow().node());
        try (FunctionRegistry builtIn = FunctionRegistry.fromClassPath(ChainDemo.class.getClassLoader());
             ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, alerts::add, Clock.systemUTC(),
                     System::nanoTime);
             Bridge bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT);
             SuricataPorts suricata = new SuricataPorts(new SuricataNode(datapath, bridge,
                     new SuricataCommand(Path.of("/usr/bin/suricata"), List.of("ip", "netns", "exec", node)),
                     ruleDirectory, runtimeDirectory, SuricataSupervisor.Timings.defaults(), alerts::add,
                     Optional.of(Path.of("/run/netns", node))))) {
            for (Exchange e : EXCHANGES) {
                Container server = lab.inventory().container(e.server()).orElseThrow();
                servers.add(new ProcessBuilder(lab.inContainer(server, List.of("/usr/bin/python3", "-c",
                        SERVER.formatted(server.ip().orElseThrow())))).redirectErrorStream(true).start());
            }
            bridge.start();
            ChainDirectory chains = new ChainDirectory(chainsDirectory,
                    builtIn.with(new SuricataFunctionFactory(suricata)), engine,
                    new ChainSteering(datapath, enforcer, bridge)::apply);
            NetworkNamespace.run(node, () -> chains.reconcile(view));
            chains.error().ifPresent(e -> {
                throw new IllegalStateException("the example chains were rejected:\n" + e);
            });
            out.println("chains in force: " + chains.inForce().definitions().stream().map(d -> d.name()).toList()
                    + ", " + chains.inForce().steering().size() + " steering entries");
            for (SuricataSupervisor s : suricata.supervisors()) {
                out.println("waiting for Suricata " + s.config().instance() + " ...");
                out.flush();
                if (!s.awaitState(SuricataState.RUNNING, SURICATA_START)) {
                    throw new IllegalStateException("Suricata " + s.config().instance() + " did not start: " + s.state());
                }
            }
            Shell shell = Shell.system();
            for (Exchange e : EXCHANGES) {
                String serverIp = lab.inventory().container(e.server()).orElseThrow().ip().orElseThrow().toString();
                for (List<String> command : e.commands()) {
                    List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", "-c", CLIENT.formatted(),
                            serverIp));
                    argv.addAll(command);
                    String answer = shell.run(lab.inContainer(lab.inventory().container(e.client()).orElseThrow(),
                            argv)).strip();
                    out.printf("%s -> %s: %-30s -> %s%n", e.client(), e.server(), String.join(" ", command), answer);
                }
            }
            Thread.sleep(500); // Suricata's alerts arrive over its EVE socket
            alerts.forEach(a -> out.printf("alert from chain %s, %s (%s): %s -> %s%n", a.chain(), a.function(),
                    a.severity(), a.message(), a.action()));
        } finally {
            servers.forEach(Process::destroyForcibly);
        }
    }
}
