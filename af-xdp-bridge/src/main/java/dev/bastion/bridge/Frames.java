package dev.bastion.bridge;

import dev.bastion.datapath.maps.FlowKey;
import java.nio.ByteBuffer;

/** The few header fields the forwarder reads or writes itself, at absolute offsets of the UMEM. */
final class Frames {
    static final int ETHERNET = 14;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private Frames() {
    }

    /** Whether the frame is IPv4 (what the datapath steers; an external engine's interface may carry others). */
    static boolean isIpv4(ByteBuffer frames, int frame) {
        return frames.getShort(frame + 12) == 0x0800;
    }

    static int sourceIp(ByteBuffer frames, int frame) {
        return frames.getInt(frame + ETHERNET + 12);
    }

    static int destinationIp(ByteBuffer frames, int frame) {
        return frames.getInt(frame + ETHERNET + 16);
    }

    static void setDestinationMac(ByteBuffer frames, int frame, long mac) {
        setMac(frames, frame, mac);
    }

    static void setSourceMac(ByteBuffer frames, int frame, long mac) {
        setMac(frames, frame + 6, mac);
    }

    private static void setMac(ByteBuffer frames, int at, long mac) {
        frames.putShort(at, (short) (mac >>> 32));
        frames.putInt(at + 2, (int) mac);
    }

    /** The frame's 5-tuple as the datapath keys flows (ports 0 unless TCP/UDP and not a later fragment). */
    static FlowKey flowKey(ByteBuffer frames, int frame) {
        int ip = frame + ETHERNET;
        int protocol = frames.get(ip + 9) & 0xff;
        boolean laterFragment = (frames.getShort(ip + 6) & 0x1fff) != 0;
        int sourcePort = 0;
        int destinationPort = 0;
        if ((protocol == TCP || protocol == UDP) && !laterFragment) {
            int l4 = ip + (frames.get(ip) & 0x0f) * 4;
            sourcePort = frames.getShort(l4) & 0xffff;
            destinationPort = frames.getShort(l4 + 2) & 0xffff;
        }
        return new FlowKey(frames.getInt(ip + 12), frames.getInt(ip + 16), sourcePort, destinationPort, protocol);
    }
}
