package dev.bastion.agent.cli;

import dev.bastion.agent.attack.AttackLab;
import dev.bastion.agent.attack.AttackSuite;
import dev.bastion.agent.attack.BlockEvidence;
import dev.bastion.agent.attack.DatapathCounters;
import dev.bastion.agent.attack.Outcome;
import dev.bastion.agent.attack.ReportTable;
import dev.bastion.agent.attack.Result;
import dev.bastion.agent.attack.SuiteReport;
import dev.bastion.agent.daemon.PolicyView;
import dev.bastion.agent.enforce.DatapathEnforcer;
import dev.bastion.agent.enforce.LabProtection;
import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabNames;
import dev.bastion.agent.lab.Shell;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.policies.model.Inventory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bastion demo}: the paper's story on a lab. The attack suite runs against the plain bridge, then against the
 * same lab protected by Bastion's datapath with the inventory's policies, and a summary puts the two side by side.
 * Everything carries a "demo-" prefix (namespaces, pins) so a lab the user brought up is left alone, and everything
 * is removed at the end, also after a failure.
 */
@Command(name = "demo", description = {
    "Run the attack suite on the kill-chain lab without protection, then with Bastion, and compare.",
    "Needs root. Exit 0 when the demo ran (its tables say what passed), 1 when it could not run."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--topology", paramLabel = "FILE", description = "Inventory to use (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:bastion.home:-.}/examples/topologies/two-network.yaml")
    Path topology;

    @Option(names = "--chains", paramLabel = "DIR", description = "Chains for the chaining step (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:bastion.home:-.}/examples/chains/kill-chain")
    Path chains;

    @Option(names = "--rules", paramLabel = "DIR", description = "Suricata rule files of the chains (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:bastion.home:-.}/examples/rules")
    Path rules;

    @Option(names = "--mode", paramLabel = "xdp|tc", defaultValue = "xdp",
            description = "Bastion's hook for the protected run (default: ${DEFAULT-VALUE}).")
    String mode;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Inventory> loaded = InventoryFiles.load(topology, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        DatapathEnforcer.Mode hook;
        try {
            hook = DatapathEnforcer.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: --mode must be xdp or tc, not '" + mode + "'");
            return ExitCodes.INVALID_INPUT;
        }
        Inventory inventory = loaded.get();
        // Namespaces carry the process id: a second demo (or a test running one) never meets this one's.
        LabNames names = new LabNames(inventory, "demo" + ProcessHandle.current().pid() + "-");
        Lab lab = new Lab(inventory, names, Shell.system());
        Path pins = Datapath.BPFFS_ROOT.resolve("demo-" + ProcessHandle.current().pid());
        try {
            step(out, "1/5 bringing up lab " + inventory.name() + " (" + inventory.containers().size()
                    + " containers, Docker-like bridges)");
            lab.up();
            step(out, "2/5 the attack suite against the plain bridge (no Bastion) ...");
            SuiteReport baseline = attack(lab, BlockEvidence.NONE);
            out.print(ReportTable.text(baseline));
            step(out, "3/5 protecting every container with Bastion (" + mode + " mode) and attacking again ...");
            SuiteReport guarded;
            ChainDemo.Outcome chained;
            try (Datapath datapath = Datapath.open(pins)) {
                try {
                    DatapathEnforcer enforcer = LabProtection.protect(lab, datapath, hook);
                    guarded = attack(lab, DatapathCounters.of(datapath, names));
                    out.print(ReportTable.text(guarded));
                    step(out, "4/5 security chains on Redis flows: redis-acl (nginx-user), Suricata (nginx-guest) ...");
                    Path runtime = Files.createTempDirectory("bastion-demo-");
                    try {
                        chained = ChainDemo.run(out, lab, datapath, enforcer, PolicyView.of(inventory), chains, rules,
                                runtime);
                    } finally {
                        Files.deleteIfExists(runtime); // each Suricata removed its own directory
                    }
                } finally {
                    datapath.remove();
                }
            }
            step(out, "5/5 summary");
            summarize(out, baseline, guarded, chained);
            if (!chained.asExpected()) {
                spec.commandLine().getErr().println("error: the chains did not treat the Redis commands as the "
                        + "example chains say (see step 4)");
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        } catch (Exception e) { // LabException, the kernel refusing the datapath, a rejected chain
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            lab.down();
            out.println("Lab " + inventory.name() + " removed.");
            out.flush();
        }
    }

    private static SuiteReport attack(Lab lab, BlockEvidence evidence) {
        try (AttackLab attackLab = AttackLab.open(lab, Shell.system())) {
            return AttackSuite.standard().run(attackLab, evidence);
        }
    }

    private static void summarize(PrintWriter out, SuiteReport baseline, SuiteReport guarded,
                                  ChainDemo.Outcome chained) {
        String row = "%-26s %-14s %-14s %s%n";
        out.printf(row, "ATTACK", "PLAIN BRIDGE", "WITH BASTION", "STOPPED BY");
        long stopped = 0;
        for (Outcome before : baseline.outcomes()) {
            Outcome after = guarded.outcome(before.attack());
            String by = after.drops().isEmpty() ? "-" : String.join(", ", after.drops().keySet());
            stopped += after.result() == Result.BLOCKED ? 1 : 0;
            out.printf(row, before.attack(), before.result(), after.result(), by);
        }
        out.printf("%nBastion stopped %d of %d attacks; the policy's own traffic (client -> server) %s.%n", stopped,
                guarded.outcomes().size(), guarded.legitimateBefore().works() && guarded.legitimateAfter().works()
                        ? "kept working throughout" : "was DISRUPTED");
        out.printf("Chains: %d of %d allowed Redis commands answered, %d of %d forbidden ones refused, %d alert(s).%n",
                chained.answered(), chained.exchanges(), chained.refused(), chained.exchanges(), chained.alerts().size());
        out.println("What is not stopped, and why: docs/security.md.");
    }

    private static void step(PrintWriter out, String message) {
        out.println();
        out.println("== " + message);
        out.flush();
    }
}
