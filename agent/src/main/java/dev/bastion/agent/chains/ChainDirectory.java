package dev.bastion.agent.chains;

import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.chain.compile.DependencyPolicy;
import dev.bastion.chain.compile.SteeringCompiler;
import dev.bastion.chain.compile.SteeringEntry;
import dev.bastion.chain.compile.SteeringTable;
import dev.bastion.chain.definition.ChainDefinition;
import dev.bastion.chain.definition.ChainLoader;
import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.engine.ChainMetrics;
import dev.bastion.chain.engine.ChainSet;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.policies.source.InvalidSourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chains directory as the agent follows it: loaded as a whole and installed in the engine when its files or the
 * policy view change. A directory with any problem changes nothing: the chains in force stay, and the problems
 * (file, line, field) are kept for the status until a good directory replaces them.
 */
public final class ChainDirectory {
    private static final Logger log = LoggerFactory.getLogger(ChainDirectory.class);

    /** What is in force: the definitions and the steering they compile to for the view they were loaded with. */
    public record InForce(List<ChainDefinition> definitions, List<SteeringEntry> steering) {
        static final InForce NONE = new InForce(List.of(), List.of());
    }

    private final Path directory;
    private final FunctionRegistry registry;
    private final ChainEngine engine;
    private final Consumer<List<SteeringEntry>> steering;
    private List<String> fingerprint;
    private PolicyView loadedFor;
    private volatile InForce inForce = InForce.NONE;
    private volatile String error;

    /** {@code steering} receives the steering entries of every chain set installed (the datapath's side). */
    public ChainDirectory(Path directory, FunctionRegistry registry, ChainEngine engine,
            Consumer<List<SteeringEntry>> steering) {
        this.directory = directory;
        this.registry = registry;
        this.engine = engine;
        this.steering = steering;
    }

    /** Reloads if the files or the view changed since the last attempt; returns true if new chains were installed. */
    public synchronized boolean reconcile(PolicyView view) {
        List<String> now = fingerprint();
        if (now.equals(fingerprint) && view == loadedFor) {
            return false;
        }
        fingerprint = now;
        loadedFor = view;
        if (!Files.isDirectory(directory)) {
            engine.install(ChainSet.empty());
            steering.accept(List.of());
            inForce = InForce.NONE;
            error = null;
            log.info("no chains directory at {}: no flow is chained", directory);
            return true;
        }
        LoadedChains loaded;
        try {
            loaded = ChainLoader.load(directory, registry, Optional.of(view.inventory()));
        } catch (InvalidSourceException e) {
            error = e.getMessage();
            log.error("chains in {} rejected, keeping the {} chains in force:\n{}", directory,
                    inForce.definitions().size(), e.getMessage());
            return false;
        } catch (IOException e) {
            error = "cannot read " + directory + ": " + e.getMessage();
            log.error("{}; keeping the chains in force", error);
            return false;
        }
        List<SteeringEntry> entries = SteeringCompiler.compile(loaded.definitions(), view.inventory(),
                view.dependencies());
        engine.install(new ChainSet(List.copyOf(loaded.chains().values()), new SteeringTable(entries),
                new DependencyPolicy(view.inventory(), view.dependencies())));
        steering.accept(entries);
        inForce = new InForce(loaded.definitions(), entries);
        error = null;
        log.info("chains in force: {} ({} steering entries)",
                loaded.definitions().stream().map(ChainDefinition::name).toList(), entries.size());
        return true;
    }

    /** The engine's counters for one chain (packets, verdicts, alerts, failures), if it ran. */
    public Optional<ChainMetrics> metrics(String chain) {
        return engine.chainMetrics().stream().filter(m -> m.chain().equals(chain)).findFirst();
    }

    public InForce inForce() {
        return inForce;
    }

    /** The problems of the last rejected directory, if the last attempt failed. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** Names, sizes and modification times of the chain files: a cheap test for "something changed". */
    private List<String> fingerprint() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try {
            return ChainLoader.chainFiles(directory).stream().map(ChainDirectory::stamp).toList();
        } catch (IOException e) {
            return List.of("unreadable: " + e.getMessage());
        }
    }

    private static String stamp(Path file) {
        try {
            return file.getFileName() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return file.getFileName() + ":unreadable";
        }
    }
}
