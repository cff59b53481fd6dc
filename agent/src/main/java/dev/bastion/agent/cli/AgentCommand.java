package dev.bastion.agent.cli;

import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.ConfigException;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.daemon.Agent;
import dev.bastion.agent.daemon.InventoryFileSource;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bastion agent}: runs the daemon in the foreground until SIGTERM or SIGINT. */
@Command(name = "agent", description = "Run the Bastion agent in the foreground (stops cleanly on SIGTERM).")
final class AgentCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

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
        if (!settings.get(Setting.COLLECTOR).equals("static")) {
            spec.commandLine().getErr().println("error: collector '" + settings.get(Setting.COLLECTOR)
                    + "' is not available in this build yet; use static");
            return ExitCodes.INVALID_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Agent agent = new Agent(settings, new InventoryFileSource(settings.path(Setting.INVENTORY)),
                (changes, next) -> changes.forEach(c -> log.info("partition {}: {}", c.kind(), c.container())));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "bastion-shutdown"));
        agent.start();
        stopped.await();
        return ExitCodes.OK;
    }
}
