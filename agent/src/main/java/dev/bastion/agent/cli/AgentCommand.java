package dev.bastion.agent.cli;

import dev.bastion.agent.chains.ChainDirectory;
import dev.bastion.agent.chains.KubernetesChains;
import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.ConfigException;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.daemon.Agent;
import dev.bastion.agent.daemon.Collectors;
import dev.bastion.agent.enforce.ChainSteering;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.DatapathInterfaces;
import dev.bastion.agent.enforce.FlowEventPump;
import dev.bastion.agent.enforce.RemoteForwarding;
import dev.bastion.agent.events.AlertRecords;
import dev.bastion.agent.metrics.BridgeMetrics;
import dev.bastion.agent.metrics.ChainEngineMetrics;
import dev.bastion.agent.metrics.DatapathMetrics;
import dev.bastion.agent.metrics.RemoteForwardingMetrics;
import dev.bastion.agent.suricata.SuricataCommand;
import dev.bastion.agent.suricata.SuricataFunctionFactory;
import dev.bastion.agent.suricata.SuricataMetrics;
import dev.bastion.agent.suricata.SuricataNode;
import dev.bastion.agent.suricata.SuricataPorts;
import dev.bastion.agent.suricata.SuricataSupervisor;
import dev.bastion.bridge.Bridge;
import dev.bastion.bridge.FrameInspector;
import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.datapath.enforce.Datapath;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bastion agent}: runs the daemon in the foreground until SIGTERM or SIGINT. */
@Command(name = "agent", description = "Run the Bastion agent in the foreground (stops cleanly on SIGTERM).")
final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML or .properties); see docs/agent.md.")
    Path config;

    @Option(names = "--inventory", paramLabel = "FILE", description = "Shorthand for the 'inventory' setting.")
    String inventory;

    @Option(names = "--chains", paramLabel = "DIR", description = "Shorthand for the 'chains' setting.")
    String chains;

    @Option(names = "--node", paramLabel = "NAME", description = "Shorthand for the 'node' setting.")
    String node;

    @Option(names = "--api", paramLabel = "HOST:PORT", description = "Shorthand for the 'api.address' setting.")
    String api;

    @Option(names = "--uninstall", description = "Remove everything the agent put in the kernel on this node "
            + "(programs, links, pinned maps) and exit. Containers are then unprotected.")
    boolean uninstall;

    @Override
    public Integer call() throws Exception {
        Map<Setting, String> overrides = new EnumMap<>(Setting.class);
        Optional.ofNullable(inventory).ifPresent(v -> overrides.put(Setting.INVENTORY, v));
        Optional.ofNullable(chains).ifPresent(v -> overrides.put(Setting.CHAINS, v));
        Optional.ofNullable(node).ifPresent(v -> overrides.put(Setting.NODE, v));
        Optional.ofNullable(api).ifPresent(v -> overrides.put(Setting.API_ADDRESS, v));
        AgentConfig settings;
        try {
            settings = AgentConfig.load(Optional.ofNullable(config), System.getenv(), overrides);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        if (uninstall) {
            return uninstall(settings);
        }
        Path pins = settings.path(Setting.DATAPATH_PIN_ROOT).resolve(settings.node());
        DatapathEnforcer.Mode mode = DatapathEnforcer.Mode.valueOf(settings.get(Setting.DATAPATH_MODE).toUpperCase(Locale.ROOT));
        Datapath datapath;
        try {
            datapath = Datapath.open(pins);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("error: cannot load the datapath at " + pins + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Agent> running = new AtomicReference<>();
        FunctionRegistry plugins = FunctionRegistry.load(AgentCommand.class.getClassLoader(),
                settings.path(Setting.PLUGINS));
        AlertSink alerts = alert -> running.get().alerts().append(AlertRecords.of(alert));
        ChainEngine engine = new ChainEngine(ChainEngine.Settings.DEFAULT, alerts, Clock.systemUTC(), System::nanoTime);
        DatapathInterfaces interfaces = DatapathInterfaces.of(settings, Collectors.of(settings));
        Optional<RemoteForwarding> remotes = RemoteForwarding.configure(settings, datapath, mode);
        DatapathEnforcer enforcer = new DatapathEnforcer(datapath, mode, interfaces.of(), remotes);
        Bridge bridge = Bridge.on(datapath, FrameInspector.of(engine), Bridge.Settings.DEFAULT);
        bridge.start();
        SuricataPorts suricata = new SuricataPorts(new SuricataNode(datapath, bridge,
                SuricataCommand.of(settings.path(Setting.SURICATA_BINARY)), settings.path(Setting.SURICATA_RULES),
                settings.path(Setting.SURICATA_RUNTIME), SuricataSupervisor.Timings.defaults(), alerts, Optional.empty()));
        FunctionRegistry functions = plugins.with(new SuricataFunctionFactory(suricata));
        ChainSteering steering = new ChainSteering(datapath, enforcer, bridge);
        remotes.ifPresent(r -> r.onChange(steering::reapply));
        Optional<KubernetesChains> chainResources = settings.get(Setting.CHAINS_SOURCE).equals("kubernetes")
                ? Optional.of(new KubernetesChains(new KubernetesClientBuilder().build(), settings.path(Setting.CHAINS)))
                : Optional.empty();
        Agent agent = new Agent(settings, interfaces.collector(), enforcer,
                Optional.of(new ChainDirectory(settings.path(Setting.CHAINS), functions, engine, steering::apply)));
        running.set(agent);
        SuricataMetrics.register(agent.metrics(), suricata::supervisors);
        ChainEngineMetrics.register(agent.metrics(), engine);
        BridgeMetrics.register(agent.metrics(), bridge);
        remotes.ifPresent(r -> RemoteForwardingMetrics.register(agent.metrics(), r));
        DatapathMetrics.register(agent.metrics(), datapath.counters(), () -> protectedIds(agent, enforcer));
        FlowEventPump flowEvents = new FlowEventPump(datapath, agent::view, agent.flows());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            try {
                flowEvents.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            chainResources.ifPresent(KubernetesChains::close);
            suricata.close();
            bridge.close();
            engine.close();
            plugins.close();
            datapath.close(); // programs and maps stay pinned: enforcement outlives the agent
            stopped.countDown();
        }, "bastion-shutdown"));
        agent.start();
        stopped.await();
        return ExitCodes.OK;
    }

    /** The containers of the inventory in force that are protected on this node, with their datapath ids. */
    private static Map<String, Integer> protectedIds(Agent agent, DatapathEnforcer enforcer) {
        Map<String, Integer> ids = new TreeMap<>();
        Optional.ofNullable(agent.view()).ifPresent(view -> view.inventory().containers().forEach(
                c -> enforcer.protectedAs(c.name()).ifPresent(id -> ids.put(c.name(), id))));
        return ids;
    }

    private int uninstall(AgentConfig settings) {
        Path pins = settings.path(Setting.DATAPATH_PIN_ROOT).resolve(settings.node());
        if (!Files.isDirectory(pins)) {
            spec.commandLine().getOut().println("nothing installed at " + pins);
            return ExitCodes.OK;
        }
        try (Datapath datapath = Datapath.open(pins)) {
            int links = datapath.links().size();
            datapath.remove();
            spec.commandLine().getOut().println("removed " + links + " links and the maps pinned at " + pins);
        }
        return ExitCodes.OK;
    }
}
