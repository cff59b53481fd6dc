package dev.bastion.agent.enforce;

import dev.bastion.datapath.maps.IpProtocol;
import dev.bastion.datapath.maps.PeerPolicyMap.Direction;
import dev.bastion.datapath.maps.PeerPolicyMap.PortRange;
import dev.bastion.datapath.maps.ServiceMap;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.dependency.ServiceEntry;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.Protocol;
import java.util.ArrayList;
import java.util.List;

/** The policies module's partition entries in the datapath's terms. */
final class PolicyEntries {
    private PolicyEntries() {
    }

    /** A peer's ranges for the peers map: egress on the destination port, ingress on the source port of replies. */
    static List<PortRange> ranges(PeerAccess access) {
        List<PortRange> out = new ArrayList<>();
        access.egress().forEach(spec -> add(out, spec, Direction.EGRESS));
        access.ingress().forEach(spec -> add(out, spec, Direction.INGRESS));
        return out;
    }

    private static void add(List<PortRange> out, PortSpec spec, Direction direction) {
        switch (spec.protocol()) {
            case ANY -> {
                out.add(PortRange.any(IpProtocol.TCP, direction));
                out.add(PortRange.any(IpProtocol.UDP, direction));
                out.add(PortRange.any(IpProtocol.ICMP, direction));
            }
            case ICMP -> out.add(PortRange.any(IpProtocol.ICMP, direction));
            case TCP, UDP -> out.add(new PortRange(protocol(spec.protocol()), spec.from(), spec.to(), direction));
        }
    }

    /** A service's key; a service IP names exactly one TCP or UDP port. */
    static ServiceMap.ServiceAddress address(ServiceEntry service) {
        return new ServiceMap.ServiceAddress(service.ip().bits(), service.port().from(),
                protocol(service.port().protocol()));
    }

    static List<ServiceMap.Backend> backends(ServiceEntry service) {
        return service.backends().stream()
                .map(b -> new ServiceMap.Backend(b.endpoint().ip().bits(), b.targetPort())).toList();
    }

    /** The datapath's protocol for a policy's concrete one; ANY names no single protocol. */
    static IpProtocol protocol(Protocol protocol) {
        return switch (protocol) {
            case TCP -> IpProtocol.TCP;
            case UDP -> IpProtocol.UDP;
            case ICMP -> IpProtocol.ICMP;
            case ANY -> throw new IllegalArgumentException("'any' is not one protocol");
        };
    }
}
