package dev.bastion.agent.suricata;

import dev.bastion.policies.model.Protocol;
import java.util.Arrays;

/**
 * The addresses of a packet or flow as Suricata reports them. For alerts and drops this is the packet's own
 * direction; for flow records it is the flow's original direction (client to server).
 */
public record EveTuple(String srcIp, int srcPort, String destIp, int destPort, String proto) {

    /** The IP protocol number of {@link #proto} (TCP, UDP, ICMP); 0 for what the agent does not know. */
    public int protocolNumber() {
        return Arrays.stream(Protocol.values()).filter(p -> p.name().equalsIgnoreCase(proto)).findFirst()
                .map(Protocol::number).orElse(0);
    }
}
