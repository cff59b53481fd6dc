package dev.bastion.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.FlowKey;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FramesTest {
    static final int AT = 256;

    @Test
    void readsTheFiveTupleAndDestinationAtAnOffsetOfTheUmem() {
        ByteBuffer frames = place(FrameBuilder.tcp("10.0.0.2", 40000, "10.0.0.3", 8080).payload("GET /").build());
        assertEquals(new FlowKey(Addresses.ip("10.0.0.2"), Addresses.ip("10.0.0.3"), 40000, 8080, 6),
                Frames.flowKey(frames, AT));
        assertEquals(Addresses.ip("10.0.0.3"), Frames.destinationIp(frames, AT));
    }

    @Test
    void portsComeAfterIpOptionsAndAreZeroInLaterFragments() {
        byte[] udp = FrameBuilder.udp("10.0.0.2", 5353, "10.0.0.3", 53).build();
        byte[] withOptions = new byte[udp.length + 4];
        System.arraycopy(udp, 0, withOptions, 0, 34);
        System.arraycopy(udp, 34, withOptions, 38, udp.length - 34);
        withOptions[14] = 0x46;
        ByteBuffer frames = place(withOptions);
        assertEquals(new FlowKey(Addresses.ip("10.0.0.2"), Addresses.ip("10.0.0.3"), 5353, 53, 17),
                Frames.flowKey(frames, AT));

        frames.putShort(AT + 14 + 6, (short) 0x0010);
        assertEquals(0, Frames.flowKey(frames, AT).sport(), "a later fragment has no ports");
    }

    @Test
    void rewritesTheDestinationMacOnly() {
        ByteBuffer frames = place(FrameBuilder.tcp("10.0.0.2", 1, "10.0.0.3", 2)
                .macs(Addresses.mac("02:00:00:00:00:02"), Addresses.mac("02:00:00:00:00:ff")).build());
        Frames.setDestinationMac(frames, AT, Addresses.mac("02:78:00:00:00:03"));
        assertEquals(0x027800000003L, frames.getLong(AT) >>> 16);
        assertEquals(0x020000000002L, frames.getLong(AT + 6) >>> 16);
    }

    @Test
    void rewritesTheSourceMacForAnotherNode() {
        ByteBuffer frames = place(FrameBuilder.tcp("10.0.0.2", 1, "10.1.0.3", 2)
                .macs(Addresses.mac("02:00:00:00:00:02"), Addresses.mac("02:00:00:00:00:ff")).build());
        Frames.setSourceMac(frames, AT, Addresses.mac("52:54:00:00:00:01"));
        assertEquals(0x525400000001L, frames.getLong(AT + 6) >>> 16);
        assertEquals(0x0200000000ffL, frames.getLong(AT) >>> 16);
        assertEquals(0x0800, frames.getShort(AT + 12), "the ethertype stays");
    }

    static ByteBuffer place(byte[] frame) {
        ByteBuffer frames = ByteBuffer.allocateDirect(4096);
        frames.put(AT, frame);
        return frames;
    }
}
