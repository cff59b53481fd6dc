package dev.bastion.datapath.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte order rules of maps.h, in one place. Ids, ifindexes, counts and the port ranges of {@code peers} are host
 * order (the kernel's native order, little-endian on x86-64 and arm64); IPv4 addresses and the ports inside
 * service, steering and flow keys are network order, exactly as they appear in packets. An IPv4 address is an
 * {@code int} whose most significant byte is the first octet (10.0.0.1 is 0x0A000001); a MAC is a {@code long}
 * whose low 48 bits hold the six octets, first octet most significant.
 */
final class Layout {
    private Layout() {
    }

    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    static void putIp(ByteBuffer buffer, int ip) {
        buffer.put((byte) (ip >>> 24)).put((byte) (ip >>> 16)).put((byte) (ip >>> 8)).put((byte) ip);
    }

    static int getIp(ByteBuffer buffer) {
        return (buffer.get() & 0xff) << 24 | (buffer.get() & 0xff) << 16 | (buffer.get() & 0xff) << 8
                | buffer.get() & 0xff;
    }

    static void putNetworkPort(ByteBuffer buffer, int port) {
        buffer.put((byte) (port >>> 8)).put((byte) port);
    }

    static int getNetworkPort(ByteBuffer buffer) {
        return (buffer.get() & 0xff) << 8 | buffer.get() & 0xff;
    }

    static void putMac(ByteBuffer buffer, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            buffer.put((byte) (mac >>> shift));
        }
    }

    static long getMac(ByteBuffer buffer) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | buffer.get() & 0xff;
        }
        return mac;
    }

    static byte[] u32(int value) {
        return allocate(4).putInt(value).array();
    }
}
