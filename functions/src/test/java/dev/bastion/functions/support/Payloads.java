package dev.bastion.functions.support;

import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.FrameView;
import dev.bastion.chain.spi.PacketView;
import java.util.Arrays;

/** Packets carrying given bytes as their TCP payload, for readers that take a packet's payload in place. */
public final class Payloads {
    private Payloads() {
    }

    public static PacketView of(byte[] bytes) {
        return FrameView.of(FrameBuilder.tcp("10.1.0.2", 40000, "10.1.0.3", 80).payload(bytes).build());
    }

    public static PacketView of(byte[] bytes, int offset, int length) {
        return of(Arrays.copyOfRange(bytes, offset, offset + length));
    }
}
