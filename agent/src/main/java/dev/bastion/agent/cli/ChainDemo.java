package dev.bastion.agent.cli;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.ChainSteering;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabRedis;
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
 * chain (l4-guard, redis-acl), nginx-guest -> redis-guest into guest-redis-ids (l4-guard, Suricata). redis-cli in
 * each client sends an allowed command and a forbidden one to a real redis-server.
 */
final class ChainDemo {
    private static final Duration SURICATA_START = Duration.ofSeconds(60);
    /** How long redis-cli waits for an answer: a refused command gets none. */
    private static final int ANSWER_SECONDS = 3;

    /** One client's allowed command and forbidden command towards its server. */
    private record Exchange(String client, String server, List<String> allowed, List<String> forbidden) {
    }

    private static final List<Exchange> EXCHANGES = List.of(
            new Exchange("nginx-user", "redis-user", List.of("SET", "session:42", "alice"), List.of("FLUSHALL")),
            new Exchange("nginx-guest", "redis-guest", List.of("SET", "cart:7", "3 items"),
                    List.of("CONFIG", "SET", "dir", "/var/www/html")));

    /** What the step saw: allowed commands answered, forbidden ones refused (of each), and the chains' alerts. */
    record Outcome(int answered, int refused, int exchanges, List<Alert> alerts) {
        boolean asExpected() {
            return answered == exchanges && refused == exchanges;
        }
    }

    private ChainDemo() {
    }

    static Outcome run(PrintWriter out, Lab lab, Datapath datapath, DatapathEnforcer enforcer, PolicyView view,
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
                servers.add(LabRedis.serve(lab, server, server.ip().orElseThrow().toString()));
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
            int answered = 0;
            int refused = 0;
            for (Exchange e : EXCHANGES) {
                Container client = lab.inventory().container(e.client()).orElseThrow();
                String serverIp = lab.inventory().container(e.server()).orElseThrow().ip().orElseThrow().toString();
                String allowed = LabRedis.command(lab, client, serverIp, ANSWER_SECONDS, e.allowed());
                String forbidden = LabRedis.command(lab, client, serverIp, ANSWER_SECONDS, e.forbidden());
                answered += "OK".equals(allowed) ? 1 : 0;
                refused += LabRedis.NO_ANSWER.equals(forbidden) ? 1 : 0;
                out.printf("%s -> %s: %-30s -> %s%n", e.client(), e.server(), String.join(" ", e.allowed()), allowed);
                out.printf("%s -> %s: %-30s -> %s%n", e.client(), e.server(), String.join(" ", e.forbidden()),
                        forbidden);
            }
            Thread.sleep(500); // Suricata's alerts arrive over its EVE socket
            alerts.forEach(a -> out.printf("alert from chain %s, %s (%s): %s -> %s%n", a.chain(), a.function(),
                    a.severity(), a.message(), a.action()));
            return new Outcome(answered, refused, EXCHANGES.size(), List.copyOf(alerts));
        } finally {
            servers.forEach(Process::destroyForcibly);
        }
    }
}
