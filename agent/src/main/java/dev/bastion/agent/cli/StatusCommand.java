package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code bastion status}: the agent's state and its containers, as a table or JSON. Exit 1 if unreachable. */
@Command(name = "status", description = "Show the running agent's state and the containers it knows.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions options;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ApiClient client = options.client();
            JsonNode status = client.get("/api/v1/status");
            JsonNode containers = client.get("/api/v1/containers");
            if (options.json) {
                out.println(status.toPrettyString());
                out.println(containers.toPrettyString());
                return ExitCodes.OK;
            }
            out.printf("node %s, collector %s, datapath %s, inventory %s, %d containers, up %ds%n",
                    status.path("node").asText(), status.path("collector").asText(), status.path("datapathMode").asText(),
                    status.path("inventory").asText("-"), status.path("containers").asInt(), status.path("uptimeSeconds").asLong());
            if (!status.path("lastError").isNull()) {
                out.println("last error: " + status.path("lastError").asText());
            }
            out.printf("%-20s %-16s %-18s %-16s %-8s %s%n", "CONTAINER", "IP", "MAC", "SET", "NODE", "PROTECTED");
            for (JsonNode c : containers) {
                out.printf("%-20s %-16s %-18s %-16s %-8s %s%n", c.path("name").asText(),
                        c.path("hostNetwork").asBoolean() ? "(host)" : c.path("ip").asText(),
                        c.path("mac").asText("-"), c.path("containerSet").asText(), c.path("node").asText(),
                        c.path("protected").asBoolean() ? "yes (id " + c.path("datapathId").asInt() + ")" : "no");
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
