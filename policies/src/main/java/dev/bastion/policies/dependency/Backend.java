package dev.bastion.policies.dependency;

/** A container serving a service IP, on its target port. */
public record Backend(Endpoint endpoint, int targetPort) {
}
