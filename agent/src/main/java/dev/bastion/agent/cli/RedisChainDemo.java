package dev.bastion.agent.cli;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.ChainSteering;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.Shell;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's chaining step: the example chains are loaded as the agent loads them, nginx-user's Redis flows are
 * steered through the AF_XDP bridge into the redis-user chain (l4-guard, redis-acl), and a Redis client in
 * nginx-user sends an allowed command and a forbidden one to a Redis-speaking server in redis-user.
 */
final class RedisChainDemo {
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

    private RedisChainDemo() {
    }

    static void run(PrintWriter out, Lab lab, Datapath datapath, DatapathEnforcer enforcer, PolicyView view,
            Path chainsDirectory) throws Exception {
        Container client = lab.inventory().container("nginx-user").orElseThrow();
        Container server = lab.inventory().container("redis-user").orElseThrow();
        String serverIp = server.ip().orElseThrow().toString();
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        Process redis = new ProcessBuilder(lab.inContainer(server, List.of("/usr/bin/python3", "-c",
                SERVER.formatted(serverIp)))).redirectErrorStream(true).start();
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(RedisChainDemo.class.getClassLoader());
             ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, alerts::add, Clock.systemUTC(),
                     System::nanoTime);
             Bridge bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT)) {
            bridge.start();
            ChainDirectory chains = new ChainDirectory(chainsDirectory, registry, engine,
                    new ChainSteering(datapath, enforcer, bridge)::apply);
            NetworkNamespace.run(lab.names().nodeNamespace(client.node()), () -> chains.reconcile(view));
            chains.error().ifPresent(e -> {
                throw new IllegalStateException("the example chains were rejected:\n" + e);
            });
            out.println("chains in force: " + chains.inForce().definitions().stream().map(d -> d.name()).toList()
                    + ", " + chains.inForce().steering().size() + " steering entries");
            Shell shell = Shell.system();
            Thread.sleep(500); // the server binds
            for (List<String> command : List.of(List.of("GET", "session:42"), List.of("FLUSHALL"))) {
                List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", "-c", CLIENT.formatted(),
                        serverIp));
                argv.addAll(command);
                String answer = shell.run(lab.inContainer(client, argv)).strip();
                out.printf("nginx-user -> redis-user: %-18s -> %s%n", String.join(" ", command), answer);
            }
            alerts.forEach(a -> out.printf("alert from chain %s, %s (%s): %s -> %s%n", a.chain(), a.function(),
                    a.severity(), a.message(), a.action()));
        } finally {
            redis.destroyForcibly();
        }
    }
}
