package dev.bastion.agent.enforce;

import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.policies.collect.Collector;
import dev.bastion.policies.model.Inventory;
import java.util.function.Function;

/**
 * What the {@code datapath.interfaces} setting selects: how the veths of an inventory's containers are found, and
 * the collector that goes with it (pods' veths are also where their MACs are learnt).
 */
public record DatapathInterfaces(Collector collector, Function<Inventory, ContainerInterfaces> of) {

    public static DatapathInterfaces of(AgentConfig config, Collector collector) {
        return switch (config.get(Setting.DATAPATH_INTERFACES)) {
            case "lab" -> new DatapathInterfaces(collector,
                    inventory -> new LabInterfaces(new LabNames(inventory, config.get(Setting.LAB_PREFIX))));
            case "kubernetes" -> {
                PodVeths veths = new PodVeths(new NetlinkNodeInterfaces());
                KubernetesInterfaces interfaces = new KubernetesInterfaces(veths);
                yield new DatapathInterfaces(new PodMacs(collector, config.node(), veths), inventory -> interfaces);
            }
            default -> throw new IllegalArgumentException(
                    "unknown datapath.interfaces " + config.get(Setting.DATAPATH_INTERFACES));
        };
    }
}
