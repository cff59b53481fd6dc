package dev.bastion.chain.compile;

import dev.bastion.chain.engine.FlowPolicy;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.policies.dependency.DependencyMap;
import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Protocol;
import java.util.HashMap;
import java.util.Map;

/**
 * A flow is allowed if the dependency map lets one of its two containers open the other's port: the first
 * packet's destination port, or its source port when that packet was a reply.
 */
public final class DependencyPolicy implements FlowPolicy {
    private final DependencyMap dependencies;
    private final Map<Integer, String> containerByIp = new HashMap<>();

    public DependencyPolicy(Inventory inventory, DependencyMap dependencies) {
        this.dependencies = dependencies;
        for (Container c : inventory.containers()) {
            c.ip().ifPresent(ip -> containerByIp.put(ip.bits(), c.name()));
        }
    }

    @Override
    public boolean allows(FlowKey key) {
        String source = containerByIp.get(key.sourceIp());
        String destination = containerByIp.get(key.destinationIp());
        Protocol protocol = switch (key.protocol()) {
            case 6 -> Protocol.TCP;
            case 17 -> Protocol.UDP;
            case 1 -> Protocol.ICMP;
            default -> null;
        };
        if (source == null || destination == null || protocol == null) {
            return false;
        }
        return PortRanges.admits(dependencies.allowed(source, destination), protocol, key.destinationPort())
                || PortRanges.admits(dependencies.allowed(destination, source), protocol, key.sourcePort());
    }
}
