package dev.bastion.bridge;

import dev.bastion.chain.spi.Verdict;
import java.nio.ByteBuffer;

/**
 * Decides what happens to one steered frame. {@link dev.bastion.chain.engine.ChainEngine#process} has this
 * shape, so {@code engine::process} is the usual inspector. Called on the bridge's thread only.
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
}
