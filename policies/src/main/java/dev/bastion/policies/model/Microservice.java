package dev.bastion.policies.model;

import java.util.List;

/** A group of container sets offering a service, with the ports it serves to everyone else. */
public record Microservice(String name, List<PortSpec> globalPorts) {
}
