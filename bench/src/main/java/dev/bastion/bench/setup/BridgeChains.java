package dev.bastion.bench.setup;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.ChainSteering;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.suricata.SuricataCommand;
import dev.bastion.agent.suricata.SuricataFunctionFactory;
import dev.bastion.agent.suricata.SuricataNode;
import dev.bastion.agent.suricata.SuricataPorts;
import dev.bastion.agent.suricata.SuricataState;
import dev.bastion.agent.suricata.SuricataSupervisor;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.registry.FunctionRegistryException;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.model.Inventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain file loaded as the agent loads it: the chain engine behind the AF_XDP bridge (through
 * {@link FrameInspector}, so that the {@code suricata} function can detour frames), Suricata ports for chains
 * that use it, {@link ChainDirectory} reconciled in the node's namespace and {@link ChainSteering} writing the
 * datapath's steering map. Starting returns once every Suricata is {@code RUNNING}; stopping closes all of it.
 */
public final class BridgeChains implements DatapathAddOn {
    private static final Logger log = LoggerFactory.getLogger(BridgeChains.class);
    private static final Path SURICATA = Path.of("/usr/bin/suricata");
    private static final Duration SURICATA_START = Duration.ofSeconds(90);

    private final String chainYaml;
    private final Path ruleDirectory;
    private final UnaryOperator<Inventory> chainPolicies;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Path workDirectory;

    /**
     * {@code chainYaml}: the one chain file; {@code ruleDirectory}: where its Suricata rule files are;
     * {@code chainPolicies}: the inventory the chains are compiled against, from the lab's.
     */
    public BridgeChains(String chainYaml, Path ruleDirectory, UnaryOperator<Inventory> chainPolicies) {
        this.chainYaml = chainYaml;
        this.ruleDirectory = ruleDirectory;
        this.chainPolicies = chainPolicies;
    }

    @Override
    public void start(Lab lab, String nodeNamespace, Datapath datapath, DatapathEnforcer enforcer, PolicyView view) {
        try {
            workDirectory = Files.createTempDirectory("bench-chains-");
            Path chains = Files.createDirectories(workDirectory.resolve("chains"));
            Files.writeString(chains.resolve("chain.yaml"), chainYaml);
            ChainEngine engine = opened(new ChainEngine(ChainEngine.Settings.DEFAULT, AlertSink.DISCARD,
                    Clock.systemUTC(), System::nanoTime));
            Bridge bridge = opened(Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT));
            bridge.start();
            SuricataPorts ports = opened(new SuricataPorts(new SuricataNode(datapath, bridge,
                    new SuricataCommand(SURICATA, List.of("ip", "netns", "exec", nodeNamespace)), ruleDirectory,
                    workDirectory.resolve("run"), SuricataSupervisor.Timings.defaults(), AlertSink.DISCARD,
                    Optional.of(Path.of("/run/netns", nodeNamespace)))));
            FunctionRegistry registry = opened(FunctionRegistry.fromClassPath(getClass().getClassLoader())
                    .with(new SuricataFunctionFactory(ports)));
            ChainDirectory directory = new ChainDirectory(chains, registry, engine,
                    new ChainSteering(datapath, enforcer, bridge)::apply);
            // The bridge's sockets bind to the host-side veths, which live in the node's namespace.
            PolicyView chainView = PolicyView.of(chainPolicies.apply(view.inventory()));
            if (!NetworkNamespace.call(nodeNamespace, () -> directory.reconcile(chainView))) {
                throw new IllegalStateException("bench chain not loaded: " + directory.error().orElse("no change"));
            }
            if (directory.inForce().steering().isEmpty()) {
                throw new IllegalStateException("bench chain selects no flow the inventory allows:\n" + chainYaml);
            }
            for (SuricataSupervisor suricata : ports.supervisors()) {
                if (!suricata.awaitState(SuricataState.RUNNING, SURICATA_START)) {
                    throw new IllegalStateException("Suricata not running after " + SURICATA_START.toSeconds()
                            + " s: " + suricata.state());
                }
            }
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (FunctionRegistryException e) {
            stop();
            throw new IllegalStateException("chain functions not found: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while Suricata started", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * Closes what was opened in the agent's order: Suricata ports before the bridge they use, the bridge before
     * the engine it calls, the engine (and its function instances) before the registry's class loaders.
     */
    @Override
    public void stop() {
        RuntimeException failure = null;
        open.stream().filter(Bridge.class::isInstance).map(Bridge.class::cast)
                .forEach(b -> log.info("bridge counters before stopping: {}", b.counters()));
        List<Class<?>> order = List.of(SuricataPorts.class, Bridge.class, ChainEngine.class, FunctionRegistry.class);
        open.sort(Comparator.comparingInt(r -> order.indexOf(r.getClass())));
        for (int i = 0; i < open.size(); i++) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                failure = new IllegalStateException("closing " + open.get(i) + ": " + e.getMessage(), e);
            }
        }
        open.clear();
        if (workDirectory != null) {
            try (Stream<Path> files = Files.walk(workDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                failure = new UncheckedIOException(e);
            }
            workDirectory = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T extends AutoCloseable> T opened(T resource) {
        open.add(resource);
        return resource;
    }
}
