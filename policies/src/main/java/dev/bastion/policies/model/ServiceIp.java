package dev.bastion.policies.model;

/** A virtual service address (a ClusterIP): ip and port, served by a container set on its target port. */
public record ServiceIp(String name, Ipv4Address ip, PortSpec port, String containerSet, int targetPort) {
}
