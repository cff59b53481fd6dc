package dev.bastion.chain.engine;

/** Counters of the engine as a whole. Written by the engine's thread only. */
public final class EngineMetrics {
    long packets;
    long malformed;
    long unmatched;
    long flowsCreated;
    long flowsExpired;
    long flowsEvicted;
    long blockedOnReload;
    long reloads;
    int activeFlows;

    public long packets() {
        return packets;
    }

    /** Frames dropped because they were not complete, unfragmented IPv4. */
    public long malformed() {
        return malformed;
    }

    /** Packets of flows no chain selects. */
    public long unmatched() {
        return unmatched;
    }

    public long flowsCreated() {
        return flowsCreated;
    }

    /** Flows removed after their idle timeout. */
    public long flowsExpired() {
        return flowsExpired;
    }

    /** Flows removed early because the flow table was full (least recently seen first). */
    public long flowsEvicted() {
        return flowsEvicted;
    }

    /** Flows blocked because a reloaded chain set's policy no longer allows them. */
    public long blockedOnReload() {
        return blockedOnReload;
    }

    public long reloads() {
        return reloads;
    }

    public int activeFlows() {
        return activeFlows;
    }
}
