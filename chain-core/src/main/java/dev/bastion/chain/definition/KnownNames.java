package dev.bastion.chain.definition;

import dev.bastion.policies.model.ContainerSet;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.Microservice;
import dev.bastion.policies.model.ServiceIp;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The names chain files may refer to, taken from an inventory (sorted, for readable error messages). */
record KnownNames(Set<String> containerSets, Set<String> microservices, Set<String> services) {

    static KnownNames of(Inventory inventory) {
        return new KnownNames(sorted(inventory.containerSets().stream().map(ContainerSet::name)),
                sorted(inventory.microservices().stream().map(Microservice::name)),
                sorted(inventory.services().stream().map(ServiceIp::name)));
    }

    private static Set<String> sorted(Stream<String> names) {
        return names.collect(Collectors.toCollection(TreeSet::new));
    }
}
