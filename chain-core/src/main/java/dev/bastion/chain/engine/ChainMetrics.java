package dev.bastion.chain.engine;

import java.util.List;

/**
 * Counters of one chain, kept across reloads as long as the chain keeps its name and function list.
 * Written by the engine's thread only.
 */
public final class ChainMetrics {
    private final String chain;
    private final List<FunctionMetrics> functions;
    private final VerdictCounts verdicts = new VerdictCounts();
    private final LatencyHistogram latency = new LatencyHistogram();
    long packets;
    long flows;
    long alerts;
    long failures;
    long depthBypasses;

    ChainMetrics(String chain, List<String> functionNames) {
        this.chain = chain;
        this.functions = functionNames.stream().map(FunctionMetrics::new).toList();
    }

    public String chain() {
        return chain;
    }

    public List<FunctionMetrics> functions() {
        return functions;
    }

    List<String> functionNames() {
        return functions.stream().map(FunctionMetrics::function).toList();
    }

    public long packets() {
        return packets;
    }

    public long flows() {
        return flows;
    }

    /** Final verdicts of the chain per packet. */
    public VerdictCounts verdicts() {
        return verdicts;
    }

    public long alerts() {
        return alerts;
    }

    /** Packets whose verdict came from the failure mode (a function threw or overran). */
    public long failures() {
        return failures;
    }

    /** Flows handed back to the kernel because the inspection depth was reached. */
    public long depthBypasses() {
        return depthBypasses;
    }

    /** Time spent in all functions per packet (not recorded for a chain without functions). */
    public LatencyHistogram latency() {
        return latency;
    }
}
