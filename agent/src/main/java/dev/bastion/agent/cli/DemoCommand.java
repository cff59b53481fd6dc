package dev.bastion.agent.cli;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabException;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ContainerNetwork;
import dev.bastion.policies.model.Inventory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bastion demo}: brings up the paper's kill-chain lab, shows what every container can reach through
 * the plain bridge, and tears the lab down. Its namespaces carry a "demo-" prefix so a lab the user brought up
 * with the same file is left alone.
 */
@Command(name = "demo", description = "Show, on the kill-chain lab, what containers can reach without protection.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--topology", paramLabel = "FILE", description = "Inventory to use (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:bastion.home:-.}/examples/topologies/kill-chain.yaml")
    Path topology;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Inventory> loaded = InventoryFiles.load(topology, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        Inventory inventory = loaded.get();
        Lab lab = new Lab(inventory, new LabNames(inventory, "demo-"), Shell.system());
        try {
            out.println("Bringing up lab " + inventory.name() + " (" + inventory.containers().size() + " containers) ...");
            out.flush();
            lab.up();
            List<Container> containers = inventory.containers().stream().filter(c -> !c.hostNetwork()).toList();
            out.println();
            out.println("What each container reaches on the plain Linux bridge (ICMP echo), no Bastion:");
            out.printf("%-16s %-10s", "from \\ to", "gateway");
            containers.forEach(c -> out.printf(" %-13s", c.name()));
            out.println();
            int reached = 0;
            int tried = 0;
            for (Container from : containers) {
                ContainerNetwork network = inventory.network(from.network().orElseThrow()).orElseThrow();
                boolean gateway = lab.reaches(from, network.gateway().toString());
                reached += gateway ? 1 : 0;
                tried++;
                out.printf("%-16s %-10s", from.name(), gateway ? "yes" : "no");
                for (Container to : containers) {
                    if (to == from) {
                        out.printf(" %-13s", "-");
                        continue;
                    }
                    boolean ok = lab.reaches(from, to.ip().orElseThrow().toString());
                    reached += ok ? 1 : 0;
                    tried++;
                    out.printf(" %-13s", ok ? "yes" : "no");
                }
                out.println();
                out.flush();
            }
            out.println();
            out.printf("%d of %d paths open, whatever the inventory's %d policies allow: without enforcement a%n"
                    + "compromised container reaches every other container and the host behind the gateway.%n",
                    reached, tried, inventory.policies().size());
            return reached == tried ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (LabException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            lab.down();
            out.println("Lab " + inventory.name() + " removed.");
            out.flush();
        }
    }
}
