package dev.bastion.agent.suricata;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates {@code suricata} functions. Configuration: {@code rules} (rule files in the agent's rule directory),
 * {@code eventRules} (Suricata's bundled rule files by name, such as {@code http-events.rules}) and
 * {@code blockFlow} ({@code on-drop} by default, {@code on-alert} or {@code never}). Registered by the agent, which
 * owns the Suricata processes; not a {@link java.util.ServiceLoader} service.
 */
public final class SuricataFunctionFactory implements SecurityFunctionFactory {
    public static final String NAME = "suricata";

    private final Path ruleDirectory;
    private final Optional<SuricataPorts> ports;

    private SuricataFunctionFactory(Path ruleDirectory, Optional<SuricataPorts> ports) {
        this.ruleDirectory = ruleDirectory;
        this.ports = ports;
    }

    /** Functions that run on the agent's Suricata ports. */
    public SuricataFunctionFactory(SuricataPorts ports) {
        this(ports.ruleDirectory(), Optional.of(ports));
    }

    /**
     * Functions that only check their configuration against {@code ruleDirectory} and start nothing, for
     * {@code bastion chain validate}; they refuse every packet.
     */
    public static SuricataFunctionFactory forValidation(Path ruleDirectory) {
        return new SuricataFunctionFactory(ruleDirectory, Optional.empty());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("rules", "eventRules", "blockFlow");
        SuricataPortSpec spec = new SuricataPortSpec(config.chain(), config.strings("rules"),
                config.strings("eventRules"), config.choice("blockFlow", BlockFlow.class, BlockFlow.ON_DROP));
        if (spec.ruleFiles().isEmpty() && spec.eventRules().isEmpty()) {
            throw config.error("rules", "give at least one rule file (rules or eventRules)");
        }
        for (int i = 0; i < spec.ruleFiles().size(); i++) {
            if (!isRuleFile(spec.ruleFiles().get(i))) {
                throw config.error("rules", i, "rule file '" + spec.ruleFiles().get(i) + "' not found in "
                        + ruleDirectory);
            }
        }
        for (int i = 0; i < spec.eventRules().size(); i++) {
            if (!SuricataConfig.isBundledRuleFile(spec.eventRules().get(i))) {
                throw config.error("eventRules", i, "'" + spec.eventRules().get(i) + "' is not a rule file of "
                        + SuricataConfig.BUNDLED_RULES);
            }
        }
        if (ports.isEmpty()) {
            return (packet, flow) -> Verdict.DROP;
        }
        try {
            return new SuricataFunction(ports.get(), ports.get().acquire(spec));
        } catch (SuricataException | IOException | RuntimeException e) {
            throw config.error("rules", "Suricata cannot run these rules: " + e.getMessage());
        }
    }

    /** Whether {@code file} is a rule file inside the rule directory. */
    private boolean isRuleFile(String file) {
        Path directory = ruleDirectory.toAbsolutePath().normalize();
        Path resolved = directory.resolve(file).normalize();
        return resolved.startsWith(directory) && Files.isRegularFile(resolved);
    }
}
