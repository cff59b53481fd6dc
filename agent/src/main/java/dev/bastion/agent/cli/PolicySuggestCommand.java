package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.policies.assistant.AssistantReport;
import dev.bastion.policies.assistant.FlowLog;
import dev.bastion.policies.assistant.FlowObservation;
import dev.bastion.policies.assistant.PolicyAssistant;
import dev.bastion.policies.assistant.PolicyYaml;
import dev.bastion.policies.assistant.ReportText;
import dev.bastion.policies.model.Inventory;
import dev.bastion.policies.source.InvalidSourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bastion policy suggest}: the policy assistant over the running agent's flow log, or, with
 * {@code --flows FLOWS FILE}, over a flow log file and an inventory file.
 */
@Command(name = "suggest", description = "Classify observed flows as legitimate, missing a policy, or showing an "
        + "excessive policy, and print a suggested policies section for the inventory. Without --flows, asks the "
        + "running agent. Exit 1 if the agent cannot be reached, 2 on a rejected file.")
final class PolicySuggestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "Inventory file whose policies are checked (with --flows).")
    Path file;

    @Mixin
    ApiOptions api;

    @Option(names = "--flows", paramLabel = "FLOWS",
            description = "Flow log: JSON lines with at, srcContainer, dstContainer, protocol, dstPort, allowed.")
    Path flows;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (flows == null) {
            return fromAgent(out, err);
        }
        if (file == null) {
            err.println("error: --flows needs the inventory FILE its flows belong to");
            return ExitCodes.INVALID_INPUT;
        }
        Optional<Inventory> inventory = InventoryFiles.load(file, err);
        if (inventory.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        List<FlowObservation> observed;
        try {
            observed = FlowLog.read(flows);
        } catch (InvalidSourceException e) {
            err.println("error: " + flows + " was rejected:");
            e.problems().forEach(p -> err.println("  " + p));
            return ExitCodes.INVALID_INPUT;
        } catch (IOException e) {
            err.println("error: cannot read " + flows + ": " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        AssistantReport report = PolicyAssistant.analyse(inventory.get(), observed);
        out.print(ReportText.render(report));
        if (report.clean()) {
            out.println("\nThe policies match the observed flows: nothing to change.");
        } else {
            out.println("\nSuggested policies section for " + file + " (review, then replace the file's own):\n");
            out.print(PolicyYaml.patch(inventory.get().policies(), report.suggested()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int fromAgent(PrintWriter out, PrintWriter err) throws InterruptedException {
        JsonNode report;
        try {
            report = api.client().get("/api/v1/policy/report");
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (api.json) {
            out.println(report.toPrettyString());
        } else {
            out.print(report.path("text").asText());
            out.println(report.path("clean").asBoolean()
                    ? "\nThe policies match the observed flows: nothing to change."
                    : "\nSuggested policies section (review, then replace the inventory's own):\n\n"
                            + report.path("patch").asText());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
