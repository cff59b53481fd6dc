package dev.bastion.policies.model;

import java.util.List;
import java.util.Optional;

/** Replicas of one image (a Deployment, a compose service), with the ports it serves inside its microservice. */
public record ContainerSet(String name, Optional<String> microservice, List<PortSpec> internalPorts) {
}
