package dev.bastion.chain.definition;

import dev.bastion.policies.dependency.PortRanges;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.PortSpec;
import dev.bastion.policies.model.ServiceIp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The flows of a context's containers that a chain takes, in both directions: those to containers of
 * {@code containerSets} or to the backends of {@code services}, on {@code ports}. No destination means every
 * destination; no ports means every port. A service contributes its backends' target port.
 */
public record ChainFlows(List<String> containerSets, List<String> services, List<PortSpec> ports) {

    public boolean anyDestination() {
        return containerSets.isEmpty() && services.isEmpty();
    }

    /** The destination ports this chain takes towards {@code destination}; empty if none. */
    public List<PortSpec> portsTowards(Container destination, Inventory inventory) {
        List<PortSpec> towards = new ArrayList<>();
        if (anyDestination() || containerSets.contains(destination.containerSet())) {
            towards.add(PortSpec.ANY);
        }
        for (ServiceIp service : inventory.services()) {
            if (services.contains(service.name()) && service.containerSet().equals(destination.containerSet())) {
                towards.add(new PortSpec(service.port().protocol(), service.targetPort(), service.targetPort()));
            }
        }
        return PortRanges.intersect(PortRanges.normalise(towards), ports.isEmpty() ? List.of(PortSpec.ANY) : ports);
    }

    /** Why the flow to {@code destination} on {@code port} is not taken, or empty if it is. */
    public Optional<String> reasonExcluded(Container destination, Inventory inventory, PortSpec port) {
        List<PortSpec> towards = portsTowards(destination, inventory);
        if (towards.isEmpty()) {
            return Optional.of(destination.name() + " (container set " + destination.containerSet()
                    + ") is not a destination of flows " + this);
        }
        if (PortRanges.intersect(towards, List.of(port)).isEmpty()) {
            return Optional.of(port + " is not among the ports " + towards + " it takes to " + destination.name());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        String destinations = anyDestination() ? "any destination" : Stream.of(
                        containerSets.isEmpty() ? null : "containerSets " + containerSets,
                        services.isEmpty() ? null : "services " + services)
                .filter(Objects::nonNull).collect(Collectors.joining(", "));
        return destinations + ", ports " + (ports.isEmpty() ? "any" : ports.toString());
    }
}
