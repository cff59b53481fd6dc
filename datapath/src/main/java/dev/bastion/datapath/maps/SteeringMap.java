package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code steering}: (container id, peer IPv4, port, protocol) -> chain id (struct steering_key, 12 bytes; port
 * network order, 0 = any port). The datapath looks up the destination port, then the source port, then 0.
 */
public final class SteeringMap {
    public static final String NAME = "steering";

    public record SteeringKey(int id, int peerIp, IpProtocol protocol, int port) {
    }

    private final BpfMap map;

    public SteeringMap(BpfMap map) {
        this.map = map;
    }

    public void put(SteeringKey key, int chainId) {
        map.update(key(key), Layout.u32(chainId));
    }

    /** Writes many steering entries in one batch. */
    public void putAll(Map<SteeringKey, Integer> chains) {
        List<byte[]> keys = new ArrayList<>(chains.size());
        List<byte[]> values = new ArrayList<>(chains.size());
        chains.forEach((key, chain) -> {
            keys.add(key(key));
            values.add(Layout.u32(chain));
        });
        map.updateBatch(keys, values);
    }

    public Optional<Integer> get(SteeringKey key) {
        return map.lookup(key(key)).map(value -> Layout.wrap(value).getInt());
    }

    public boolean remove(SteeringKey key) {
        return map.delete(key(key));
    }

    static byte[] key(SteeringKey key) {
        ByteBuffer bytes = Layout.allocate(12).putInt(key.id());
        Layout.putIp(bytes, key.peerIp());
        Layout.putNetworkPort(bytes, key.port());
        return bytes.put((byte) key.protocol().number()).array();
    }
}
