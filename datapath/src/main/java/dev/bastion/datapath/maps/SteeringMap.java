package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code steering}: (container id, peer IPv4) -> up to {@value #MAX_RULES} chained server-side port ranges (key as
 * {@code peers}; struct steering_rules, 4 + 16 x 12 bytes; ports host order). A packet is steered when its
 * destination port (client side) or source port (server side, replying) is in a range of its protocol.
 */
public final class SteeringMap {
    public static final String NAME = "steering";
    public static final int MAX_RULES = 16;
    private static final int VALUE_SIZE = 4 + MAX_RULES * 12;

    /** Flows of {@code protocol} whose server-side port is in {@code from..to} go to chain {@code chain}. */
    public record SteeringRule(IpProtocol protocol, int from, int to, int chain) {
        public SteeringRule {
            if (from < 0 || to > 0xffff || from > to) {
                throw new IllegalArgumentException("bad port range " + from + "-" + to);
            }
        }
    }

    private final BpfMap map;

    public SteeringMap(BpfMap map) {
        this.map = map;
    }

    public void put(int id, int peerIp, List<SteeringRule> rules) {
        map.update(PeerPolicyMap.key(id, peerIp), encode(rules));
    }

    /** Writes all of one container's steered peers in one batch. */
    public void putAll(int id, Map<Integer, List<SteeringRule>> rulesByPeer) {
        Batch.write(map, rulesByPeer, peer -> PeerPolicyMap.key(id, peer), SteeringMap::encode);
    }

    public Optional<List<SteeringRule>> get(int id, int peerIp) {
        return map.lookup(PeerPolicyMap.key(id, peerIp)).map(SteeringMap::decode);
    }

    public boolean remove(int id, int peerIp) {
        return map.delete(PeerPolicyMap.key(id, peerIp));
    }

    static byte[] encode(List<SteeringRule> rules) {
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException(rules.size() + " steering rules for one peer; the datapath holds "
                    + MAX_RULES + " (merge adjacent ranges)");
        }
        ByteBuffer value = Layout.allocate(VALUE_SIZE).putInt(rules.size());
        for (SteeringRule rule : rules) {
            value.putShort((short) rule.from()).putShort((short) rule.to()).put((byte) rule.protocol().number())
                    .put((byte) 0).putShort((short) 0).putInt(rule.chain());
        }
        return value.array();
    }

    static List<SteeringRule> decode(byte[] bytes) {
        ByteBuffer value = Layout.wrap(bytes);
        int count = value.getInt();
        List<SteeringRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = value.getShort() & 0xffff;
            int to = value.getShort() & 0xffff;
            IpProtocol protocol = IpProtocol.of(value.get());
            value.get();
            value.getShort();
            rules.add(new SteeringRule(protocol, from, to, value.getInt()));
        }
        return rules;
    }
}
