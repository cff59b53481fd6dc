package dev.bastion.agent.cli;

import dev.bastion.agent.attack.AttackLab;
import dev.bastion.agent.attack.AttackSuite;
import dev.bastion.agent.attack.BlockEvidence;
import dev.bastion.agent.attack.Cast;
import dev.bastion.agent.attack.DatapathCounters;
import dev.bastion.agent.attack.ReportTable;
import dev.bastion.agent.attack.SuiteReport;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabException;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.LabStatus;
import dev.bastion.agent.lab.Shell;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bastion lab up|down|status|exec|attack FILE}: the network-namespace testbed. */
@Command(name = "lab", description = "Build and remove a network-namespace testbed from an inventory file.",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Exec.class,
            LabCommand.Attack.class})
final class LabCommand {

    /** Shared by the subcommands: the file argument and how to turn it into a lab. */
    abstract static class LabAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "Inventory (topology) file.")
        Path file;

        @Override
        public Integer call() {
            Optional<Inventory> inventory = InventoryFiles.load(file, spec.commandLine().getErr());
            if (inventory.isEmpty()) {
                return ExitCodes.INVALID_INPUT;
            }
            try {
                return run(new Lab(inventory.get(), LabNames.of(inventory.get()), Shell.system()));
            } catch (LabException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }

        abstract int run(Lab lab);
    }

    @Command(name = "up", description = "Create the lab's namespaces, bridges and veths (harmless if up already).")
    static final class Up extends LabAction {
        @Override
        int run(Lab lab) {
            lab.up();
            spec.commandLine().getOut().println("lab " + lab.inventory().name() + " is up");
            return ExitCodes.OK;
        }
    }

    @Command(name = "down", description = "Remove everything 'up' created, also after a run that stopped halfway.")
    static final class Down extends LabAction {
        @Override
        int run(Lab lab) {
            lab.down();
            spec.commandLine().getOut().println("lab " + lab.inventory().name() + " is down");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = "Show which of the lab's namespaces exist. Exit 0 if up, 3 if not.")
    static final class Status extends LabAction {
        @Override
        int run(Lab lab) {
            LabStatus status = lab.status();
            var out = spec.commandLine().getOut();
            out.printf("lab %s: %s%n", status.lab(), status.state().name().toLowerCase());
            status.namespaces().forEach((ns, present) -> out.printf("  %-8s %s%n", present ? "present" : "absent", ns));
            return status.state() == LabStatus.State.UP ? ExitCodes.OK : ExitCodes.NOT_UP;
        }
    }

    @Command(name = "exec", description = "Run a command in a container's network namespace.")
    static final class Exec extends LabAction {
        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Parameters(index = "2..*", paramLabel = "COMMAND", arity = "1..*")
        List<String> command;

        @Override
        int run(Lab lab) {
            Optional<Container> target = lab.inventory().container(container);
            if (target.isEmpty()) {
                spec.commandLine().getErr().println("error: no container named " + container + " in " + file);
                return ExitCodes.INVALID_INPUT;
            }
            try {
                return new ProcessBuilder(lab.inContainer(target.get(), command)).inheritIO().start().waitFor();
            } catch (java.io.IOException e) {
                throw new LabException("cannot run " + command.get(0) + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.FAILED;
            }
        }
    }

    @Command(name = "attack", description = {
        "Run the attack suite (docs/security.md) from the container labelled attack-role=attacker.",
        "A lab that is up is attacked as it is and left up; otherwise it is brought up, attacked and removed.",
        "Exit 0 when every attack's result is the expected one: FEASIBLE on the baseline, BLOCKED with --protected."})
    static final class Attack extends LabAction {
        @Option(names = "--json", description = "Print the report as JSON instead of a table.")
        boolean json;

        @Option(names = "--protected", description = "The lab is protected (the agent runs): expect every attack BLOCKED.")
        boolean protectedLab;

        @Option(names = "--datapath", paramLabel = "PINS", description = {
            "The running agent's pinned maps (/sys/fs/bpf/bastion/<instance>): implies --protected, and names",
            "for each blocked attack the datapath drop counters that rose."})
        Path datapathPins;

        @Override
        int run(Lab lab) {
            try {
                Cast.of(lab.inventory());
            } catch (LabException e) {
                spec.commandLine().getErr().println("error: " + file + ": " + e.getMessage() + "; nothing was changed");
                return ExitCodes.INVALID_INPUT;
            }
            DatapathCounters counters;
            try {
                counters = datapathPins == null ? null : DatapathCounters.pinned(datapathPins, lab.names());
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("error: cannot read the datapath's counters in " + datapathPins + ": "
                        + e.getMessage());
                return ExitCodes.FAILED;
            }
            BlockEvidence protection = counters != null ? counters : protectedLab ? BlockEvidence.uncounted() : BlockEvidence.NONE;
            boolean wasUp = lab.status().state() == LabStatus.State.UP;
            if (!wasUp) {
                lab.up();
            }
            try (AttackLab attackLab = AttackLab.open(lab, Shell.system())) {
                SuiteReport report = AttackSuite.standard().run(attackLab, protection);
                spec.commandLine().getOut().print(json ? ReportTable.json(report) + System.lineSeparator() : ReportTable.text(report));
                spec.commandLine().getOut().flush();
                return report.asExpected() ? ExitCodes.OK : ExitCodes.FAILED;
            } finally {
                if (counters != null) {
                    counters.close();
                }
                if (!wasUp) {
                    lab.down();
                }
            }
        }
    }
}
