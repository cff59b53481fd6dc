package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code peers}: (container id, peer IPv4) -> up to {@value #MAX_RANGES} allowed port ranges, both directions
 * (struct peer_policy, 4 + 16 x 8 bytes). Range ports are host order.
 */
public final class PeerPolicyMap {
    public static final String NAME = "peers";
    public static final int MAX_RANGES = 16;
    private static final int VALUE_SIZE = 4 + MAX_RANGES * 8;

    public enum Direction {
        /** The peer's ports this container may open: matched on the destination port. */
        EGRESS,
        /** This container's ports the peer may open: matched on the source port of replies. */
        INGRESS
    }

    /** Ports {@code from..to} (inclusive) of a protocol; ICMP ignores ports. */
    public record PortRange(IpProtocol protocol, int from, int to, Direction direction) {
        public PortRange {
            if (from < 0 || to > 0xffff || from > to) {
                throw new IllegalArgumentException("bad port range " + from + "-" + to);
            }
        }

        public static PortRange any(IpProtocol protocol, Direction direction) {
            return new PortRange(protocol, 0, 0xffff, direction);
        }
    }

    private final BpfMap map;

    public PeerPolicyMap(BpfMap map) {
        this.map = map;
    }

    public void put(int id, int peerIp, List<PortRange> ranges) {
        map.update(key(id, peerIp), encode(ranges));
    }

    /** Writes all of one container's peers in one batch. */
    public void putAll(int id, Map<Integer, List<PortRange>> rangesByPeer) {
        Batch.write(map, rangesByPeer, peer -> key(id, peer), PeerPolicyMap::encode);
    }

    public Optional<List<PortRange>> get(int id, int peerIp) {
        return map.lookup(key(id, peerIp)).map(PeerPolicyMap::decode);
    }

    public boolean remove(int id, int peerIp) {
        return map.delete(key(id, peerIp));
    }

    static byte[] key(int id, int peerIp) {
        ByteBuffer key = Layout.allocate(8).putInt(id);
        Layout.putIp(key, peerIp);
        return key.array();
    }

    static byte[] encode(List<PortRange> ranges) {
        if (ranges.size() > MAX_RANGES) {
            throw new IllegalArgumentException(ranges.size() + " port ranges for one peer; the datapath holds "
                    + MAX_RANGES + " (merge adjacent ranges)");
        }
        ByteBuffer value = Layout.allocate(VALUE_SIZE).putInt(ranges.size());
        for (PortRange range : ranges) {
            value.putShort((short) range.from()).putShort((short) range.to())
                    .put((byte) range.protocol().number()).put((byte) (range.direction().ordinal() + 1))
                    .putShort((short) 0);
        }
        return value.array();
    }

    static List<PortRange> decode(byte[] bytes) {
        ByteBuffer value = Layout.wrap(bytes);
        int count = value.getInt();
        List<PortRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = value.getShort() & 0xffff;
            int to = value.getShort() & 0xffff;
            IpProtocol protocol = IpProtocol.of(value.get());
            Direction direction = Direction.values()[value.get() - 1];
            value.getShort();
            ranges.add(new PortRange(protocol, from, to, direction));
        }
        return ranges;
    }
}
