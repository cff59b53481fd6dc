package dev.bastion.datapath.maps;

import java.nio.ByteBuffer;

/**
 * An IPv4 5-tuple (struct flow_key, 16 bytes: addresses and ports network order), the key of {@code overrides},
 * {@code flows_seen} and {@code service_nat}. Ports are 0 for ICMP and later fragments.
 */
public record FlowKey(int saddr, int daddr, int sport, int dport, int protocol) {
    static final int SIZE = 16;

    /** The same flow seen from the other end. */
    public FlowKey reversed() {
        return new FlowKey(daddr, saddr, dport, sport, protocol);
    }

    byte[] encode() {
        ByteBuffer key = Layout.allocate(SIZE);
        put(key);
        return key.putShort((short) 0).put((byte) 0).array();
    }

    void put(ByteBuffer buffer) {
        Layout.putIp(buffer, saddr);
        Layout.putIp(buffer, daddr);
        Layout.putNetworkPort(buffer, sport);
        Layout.putNetworkPort(buffer, dport);
        buffer.put((byte) protocol);
    }

    static FlowKey get(ByteBuffer buffer) {
        return new FlowKey(Layout.getIp(buffer), Layout.getIp(buffer), Layout.getNetworkPort(buffer),
                Layout.getNetworkPort(buffer), buffer.get() & 0xff);
    }

    @Override
    public String toString() {
        return Addresses.ipText(saddr) + ":" + sport + " -> " + Addresses.ipText(daddr) + ":" + dport + " proto "
                + protocol;
    }
}
