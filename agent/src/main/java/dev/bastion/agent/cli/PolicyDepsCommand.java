package dev.bastion.agent.cli;

import dev.bastion.agent.api.PartitionJson;
import dev.bastion.policies.dependency.ContainerPartition;
import dev.bastion.policies.dependency.DependencyExtractor;
import dev.bastion.policies.dependency.Endpoint;
import dev.bastion.policies.dependency.Partitioner;
import dev.bastion.policies.dependency.PeerAccess;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.model.PortSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bastion policy deps FILE [--json]}: each container's partition, as the datapath would get it. */
@Command(name = "deps", description = "Print each container's peers (protocol/ports both ways), usable service IPs "
        + "and denied addresses, from an inventory file. Exit 2 if the file is rejected.")
final class PolicyDepsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Inventory file.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Inventory> loaded = InventoryFiles.load(file, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        Inventory inventory = loaded.get();
        Map<String, ContainerPartition> partitions = Partitioner.partition(inventory, DependencyExtractor.extract(inventory));
        if (json) {
            out.println(PartitionJson.of(inventory.containers(), partitions).toPrettyString());
        } else {
            inventory.containers().forEach(c -> printText(out, c, partitions.get(c.name())));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void printText(PrintWriter out, Container container, ContainerPartition p) {
        if (p == null) {
            out.printf("%s: host network, no interface of its own: not isolated per container%n%n", container.name());
            return;
        }
        Endpoint self = p.self();
        out.printf("%s  %s  %s  node %s%n", self.container(), self.ip(), self.mac().orElseThrow(), self.node());
        List<PeerAccess> reaches = p.peers().stream().filter(a -> !a.egress().isEmpty()).toList();
        List<PeerAccess> reachedBy = p.peers().stream().filter(a -> !a.ingress().isEmpty()).toList();
        out.println(heading("may open:", reaches.isEmpty(), "nothing"));
        reaches.forEach(a -> out.printf("    %-20s %-15s %s%n", a.peer().container(), a.peer().ip(), ports(a.egress())));
        out.println(heading("opened by:", reachedBy.isEmpty(), "nobody"));
        reachedBy.forEach(a -> out.printf("    %-20s %-15s %s%n", a.peer().container(), a.peer().ip(), ports(a.ingress())));
        out.println(heading("services:", p.services().isEmpty(), "none"));
        p.services().forEach(s -> out.printf("    %s %s -> %s%n", s.ip(), s.port(), s.backends().stream()
                .map(b -> b.endpoint().container() + ":" + b.targetPort()).collect(Collectors.joining(", "))));
        out.println(String.format("  %-13s ", "denied:") + joined(p.deniedIps()) + (p.deniedMacs().isEmpty() ? "" : ", " + joined(p.deniedMacs())));
        out.println("  and everything else: denied");
        out.println();
    }

    /** A section's title, followed on the same line by what stands for an empty section. */
    private static String heading(String title, boolean empty, String none) {
        return empty ? String.format("  %-13s %s", title, none) : "  " + title;
    }

    private static String ports(List<PortSpec> ports) {
        return joined(ports);
    }

    private static String joined(Collection<?> items) {
        return items.isEmpty() ? "-" : items.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }
}
