package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code services}: (service IPv4, port, protocol) -> up to {@value #MAX_BACKENDS} backends (struct service_key,
 * 8 bytes; struct service, 4 + 16 x 8 bytes; ports network order). The datapath fills the LRU {@code service_nat}
 * itself, one entry per client flow, so replies get the service address back.
 */
public final class ServiceMap {
    public static final String NAME = "services";
    public static final String NAT_NAME = "service_nat";
    public static final int MAX_BACKENDS = 16;

    public record ServiceAddress(int ip, int port, IpProtocol protocol) {
    }

    public record Backend(int ip, int port) {
    }

    private final BpfMap map;

    public ServiceMap(BpfMap map) {
        this.map = map;
    }

    public void put(ServiceAddress service, List<Backend> backends) {
        map.update(key(service), encode(backends));
    }

    public Optional<List<Backend>> get(ServiceAddress service) {
        return map.lookup(key(service)).map(ServiceMap::decode);
    }

    public boolean remove(ServiceAddress service) {
        return map.delete(key(service));
    }

    static byte[] key(ServiceAddress service) {
        ByteBuffer key = Layout.allocate(8);
        Layout.putIp(key, service.ip());
        Layout.putNetworkPort(key, service.port());
        return key.put((byte) service.protocol().number()).array();
    }

    static byte[] encode(List<Backend> backends) {
        if (backends.isEmpty() || backends.size() > MAX_BACKENDS) {
            throw new IllegalArgumentException(backends.size() + " backends; a service has 1.." + MAX_BACKENDS);
        }
        ByteBuffer value = Layout.allocate(4 + MAX_BACKENDS * 8).putInt(backends.size());
        for (Backend backend : backends) {
            Layout.putIp(value, backend.ip());
            Layout.putNetworkPort(value, backend.port());
            value.putShort((short) 0);
        }
        return value.array();
    }

    static List<Backend> decode(byte[] bytes) {
        ByteBuffer value = Layout.wrap(bytes);
        int count = value.getInt();
        List<Backend> backends = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            backends.add(new Backend(Layout.getIp(value), Layout.getNetworkPort(value)));
            value.getShort();
        }
        return backends;
    }
}
