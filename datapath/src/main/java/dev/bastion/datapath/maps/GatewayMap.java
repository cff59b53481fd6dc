package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code gateways}: (container id, gateway IPv4 or MAC) the container may not reach (struct gateway_key, 12 bytes;
 * value u32 1). A gateway that a policy opens to the container is simply not listed for it.
 */
public final class GatewayMap {
    public static final String NAME = "gateways";
    private static final int KIND_IP = 1;
    private static final int KIND_MAC = 2;

    private final BpfMap map;

    public GatewayMap(BpfMap map) {
        this.map = map;
    }

    /** Denies the container all of these addresses, in one batch. */
    public void denyAll(int id, Collection<Integer> ips, Collection<Long> macs) {
        List<byte[]> keys = new ArrayList<>(ips.size() + macs.size());
        ips.forEach(ip -> keys.add(ipKey(id, ip)));
        macs.forEach(mac -> keys.add(macKey(id, mac)));
        List<byte[]> values = new ArrayList<>(keys.size());
        keys.forEach(key -> values.add(Layout.u32(1)));
        map.updateBatch(keys, values);
    }

    public boolean deniesIp(int id, int ip) {
        return map.lookup(ipKey(id, ip)).isPresent();
    }

    public boolean deniesMac(int id, long mac) {
        return map.lookup(macKey(id, mac)).isPresent();
    }

    public boolean allowIp(int id, int ip) {
        return map.delete(ipKey(id, ip));
    }

    public boolean allowMac(int id, long mac) {
        return map.delete(macKey(id, mac));
    }

    static byte[] ipKey(int id, int ip) {
        ByteBuffer key = Layout.allocate(12).putInt(id).putShort((short) KIND_IP);
        Layout.putIp(key, ip);
        return key.array();
    }

    static byte[] macKey(int id, long mac) {
        ByteBuffer key = Layout.allocate(12).putInt(id).putShort((short) KIND_MAC);
        Layout.putMac(key, mac);
        return key.array();
    }
}
