package dev.bastion.agent.suricata;

/**
 * The addresses of a packet or flow as Suricata reports them. For alerts and drops this is the packet's own
 * direction; for flow records it is the flow's original direction (client to server).
 */
public record EveTuple(String srcIp, int srcPort, String destIp, int destPort, String proto) {
}
