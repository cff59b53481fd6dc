package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.Optional;

/** {@code endpoints}: host-side ifindex -> the container behind it (struct endpoint, 20 bytes). */
public final class EndpointMap {
    public static final String NAME = "endpoints";
    /** Container ids index the counters and XSK maps: 1 .. MAX_CONTAINERS-1 (0 means "no container"). */
    public static final int MAX_CONTAINERS = 4096;

    /** A protected container: its datapath id, IPv4 address, MAC and default gateway (0: none). */
    public record Endpoint(int id, int ip, long mac, int gateway) {
        public Endpoint {
            checkId(id);
        }
    }

    private final BpfMap map;

    public EndpointMap(BpfMap map) {
        this.map = map;
    }

    public void put(int ifindex, Endpoint endpoint) {
        map.update(Layout.u32(ifindex), encode(endpoint));
    }

    public Optional<Endpoint> get(int ifindex) {
        return map.lookup(Layout.u32(ifindex)).map(EndpointMap::decode);
    }

    public boolean remove(int ifindex) {
        return map.delete(Layout.u32(ifindex));
    }

    static void checkId(int id) {
        if (id <= 0 || id >= MAX_CONTAINERS) {
            throw new IllegalArgumentException("container id " + id + " is outside 1.." + (MAX_CONTAINERS - 1));
        }
    }

    static byte[] encode(Endpoint endpoint) {
        ByteBuffer value = Layout.allocate(20).putInt(endpoint.id());
        Layout.putIp(value, endpoint.ip());
        Layout.putIp(value, endpoint.gateway());
        Layout.putMac(value, endpoint.mac());
        return value.putShort((short) 0).array();
    }

    static Endpoint decode(byte[] bytes) {
        ByteBuffer value = Layout.wrap(bytes);
        int id = value.getInt();
        int ip = Layout.getIp(value);
        int gateway = Layout.getIp(value);
        return new Endpoint(id, ip, Layout.getMac(value), gateway);
    }
}
