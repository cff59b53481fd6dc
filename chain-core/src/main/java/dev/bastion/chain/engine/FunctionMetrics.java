package dev.bastion.chain.engine;

/** Counters of one function in one chain. Written by the engine's thread only. */
public final class FunctionMetrics {
    private final String function;
    private final VerdictCounts verdicts = new VerdictCounts();
    private final LatencyHistogram latency = new LatencyHistogram();
    long packets;
    long alerts;
    long errors;
    long overruns;

    FunctionMetrics(String function) {
        this.function = function;
    }

    public String function() {
        return function;
    }

    public long packets() {
        return packets;
    }

    /** Verdicts as returned by the function (before failure-mode substitution). */
    public VerdictCounts verdicts() {
        return verdicts;
    }

    public long alerts() {
        return alerts;
    }

    /** Calls that threw. */
    public long errors() {
        return errors;
    }

    /** Calls that took longer than the chain's time budget. */
    public long overruns() {
        return overruns;
    }

    public LatencyHistogram latency() {
        return latency;
    }
}
