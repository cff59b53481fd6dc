package dev.bastion.chain.engine;

import dev.bastion.chain.spi.ExternalInspection;
import dev.bastion.chain.spi.SecurityFunction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled chain: the ordered function instances with the chain's failure mode, inspection depth and
 * per-function time budget. Like a Netty pipeline, a packet goes from handler to handler until one of them
 * returns something other than PASS. Instances belong to one chain set and are closed with it, once the last
 * flow that started under them has ended. A chain keeps per-engine counts, so each engine gets its own
 * chains (load the directory once per engine).
 */
public final class Chain {
    private static final Logger LOG = LoggerFactory.getLogger(Chain.class);

    private final String name;
    private final FailureMode failureMode;
    private final InspectionDepth depth;
    private final long budgetNanos;
    final String[] functionNames;
    final SecurityFunction[] functions;
    /** The port of the chain's external inspection (its last function), or null if every function runs here. */
    final String externalPort;
    /** Whether each function has been called once: its first call loads classes and is not held to the budget. */
    final boolean[] warmed;
    ChainMetrics metrics;
    FunctionMetrics[] functionMetrics;
    int flows;
    boolean retired;
    private boolean closed;

    /** One function instance under the name the chain file gave it. */
    public record NamedFunction(String name, SecurityFunction function) {
    }

    public Chain(String name, FailureMode failureMode, InspectionDepth depth, Duration budget,
                 List<NamedFunction> functions) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("chain " + name + ": the time budget must be positive");
        }
        this.name = name;
        this.failureMode = failureMode;
        this.depth = depth;
        this.budgetNanos = budget.toNanos();
        this.functionNames = functions.stream().map(NamedFunction::name).toArray(String[]::new);
        this.functions = functions.stream().map(NamedFunction::function).toArray(SecurityFunction[]::new);
        this.warmed = new boolean[this.functions.length];
        for (int i = 0; i < this.functions.length - 1; i++) {
            if (this.functions[i] instanceof ExternalInspection) {
                throw new IllegalArgumentException("chain " + name + ": " + functionNames[i]
                        + " inspects outside the agent and must be the chain's last function");
            }
        }
        this.externalPort = this.functions.length > 0
                && this.functions[this.functions.length - 1] instanceof ExternalInspection external
                ? external.port() : null;
    }

    public String name() {
        return name;
    }

    public FailureMode failureMode() {
        return failureMode;
    }

    public InspectionDepth depth() {
        return depth;
    }

    public Duration budget() {
        return Duration.ofNanos(budgetNanos);
    }

    long budgetNanos() {
        return budgetNanos;
    }

    /** The bridge port its packets pass through after its Java functions, if its last function is external. */
    public Optional<String> externalPort() {
        return Optional.ofNullable(externalPort);
    }

    public List<String> functionNames() {
        return List.of(functionNames);
    }

    /** Gives the chain its counters (carried over from an earlier chain of the same name and functions). */
    void attach(ChainMetrics chainMetrics) {
        this.metrics = chainMetrics;
        this.functionMetrics = chainMetrics.functions().toArray(FunctionMetrics[]::new);
    }

    /**
     * Closes every function instance once; errors are logged, never thrown (the others still close). The engine
     * does this for chains it runs; call it only for a chain never installed.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < functions.length; i++) {
            try {
                functions[i].close();
            } catch (RuntimeException e) {
                LOG.warn("chain {}: closing function {} failed", name, functionNames[i], e);
            }
        }
    }

    boolean isClosed() {
        return closed;
    }
}
