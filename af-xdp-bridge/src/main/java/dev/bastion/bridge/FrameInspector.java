package dev.bastion.bridge;

import dev.bastion.chain.engine.ChainEngine;
import dev.bastion.chain.spi.Verdict;
import java.nio.ByteBuffer;

/**
 * Decides what happens to one steered frame; {@link #of(ChainEngine)} makes a chain engine the inspector. Called
 * on the bridge's thread only.
 */
@FunctionalInterface
public interface FrameInspector {
    /** Passes every frame: a bridge with an empty chain. */
    FrameInspector PASS_ALL = (container, frames, offset, length, nowNanos) -> Verdict.PASS;

    /**
     * @param container the name of the container whose interface the frame came from
     * @param frames the UMEM, network byte order; the frame is {@code length} bytes from absolute {@code offset}
     */
    Verdict inspect(String container, ByteBuffer frames, int offset, int length, long nowNanos);

    /**
     * The external port the frame just inspected must pass through before its destination (when its verdict
     * forwards it), or null to forward it directly.
     */
    default String detour() {
        return null;
    }

    /** A chain engine as the inspector: its verdicts, and its detours through external engines. */
    static FrameInspector of(ChainEngine engine) {
        return new FrameInspector() {
            @Override
            public Verdict inspect(String container, ByteBuffer frames, int offset, int length, long nowNanos) {
                return engine.process(container, frames, offset, length, nowNanos);
            }

            @Override
            public String detour() {
                return engine.detour();
            }
        };
    }
}
