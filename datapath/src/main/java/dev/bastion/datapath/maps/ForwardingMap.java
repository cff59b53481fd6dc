package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@code containers}: IPv4 -> where packets for that address go (struct forward, 28 bytes). */
public final class ForwardingMap {
    public static final String NAME = "containers";

    public enum Kind {
        /** A container on this node, behind host-side veth {@code ifindex}. */
        LOCAL,
        /** A container on another node, reached through this node's external interface {@code ifindex}. */
        REMOTE,
        /** A gateway or host address: allowed packets go to the kernel stack; ARP answers with {@code mac}. */
        HOST;

        int code() {
            return ordinal() + 1;
        }
    }

    /** Where an address is; MACs of unused fields are 0. */
    public record Forward(Kind kind, int ifindex, int id, long mac, long nextHopMac, long externalMac) {
        public static Forward local(int hostIfindex, int id, long mac) {
            EndpointMap.checkId(id);
            return new Forward(Kind.LOCAL, hostIfindex, id, mac, 0, 0);
        }

        public static Forward remote(int externalIfindex, long mac, long nodeMac, long externalMac) {
            return new Forward(Kind.REMOTE, externalIfindex, 0, mac, nodeMac, externalMac);
        }

        public static Forward host(long mac) {
            return new Forward(Kind.HOST, 0, 0, mac, 0, 0);
        }
    }

    private final BpfMap map;

    public ForwardingMap(BpfMap map) {
        this.map = map;
    }

    public void put(int ip, Forward forward) {
        map.update(ip(ip), encode(forward));
    }

    /** Writes many addresses in one batch. */
    public void putAll(Map<Integer, Forward> forwards) {
        Batch.write(map, forwards, ForwardingMap::ip, ForwardingMap::encode);
    }

    public Optional<Forward> get(int ip) {
        return map.lookup(ip(ip)).map(ForwardingMap::decode);
    }

    /** Every address in the map with where it goes (an entry removed meanwhile is left out). */
    public Map<Integer, Forward> all() {
        Map<Integer, Forward> all = new HashMap<>();
        for (byte[] key : map.keys()) {
            map.lookup(key).ifPresent(value -> all.put(Layout.getIp(Layout.wrap(key)), decode(value)));
        }
        return all;
    }

    public boolean remove(int ip) {
        return map.delete(ip(ip));
    }

    static byte[] ip(int ip) {
        ByteBuffer key = Layout.allocate(4);
        Layout.putIp(key, ip);
        return key.array();
    }

    static byte[] encode(Forward forward) {
        ByteBuffer value = Layout.allocate(28).putInt(forward.ifindex()).putInt(forward.id())
                .putShort((short) forward.kind().code());
        Layout.putMac(value, forward.mac());
        Layout.putMac(value, forward.nextHopMac());
        Layout.putMac(value, forward.externalMac());
        return value.array();
    }

    static Forward decode(byte[] bytes) {
        ByteBuffer value = Layout.wrap(bytes);
        int ifindex = value.getInt();
        int id = value.getInt();
        Kind kind = Kind.values()[value.getShort() - 1];
        return new Forward(kind, ifindex, id, Layout.getMac(value), Layout.getMac(value), Layout.getMac(value));
    }
}
