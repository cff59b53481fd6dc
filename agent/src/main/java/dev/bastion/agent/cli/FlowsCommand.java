package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bastion flows}: the new flows the datapath saw, with its verdict and the reason. Exit 1 if unreachable. */
@Command(name = "flows", description = "Show recent flows and the datapath's verdicts (--follow to keep watching).")
final class FlowsCommand implements Callable<Integer> {
    private static final String FORMAT = "%-24s %-16s %-16s %-5s %-21s %-21s %-6s %s";

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions options;

    @Option(names = "--denied", description = "Only flows the datapath denied.")
    boolean denied;

    @Option(names = "--container", paramLabel = "NAME", description = "Only flows from or to this container.")
    String container;

    @Mixin
    EventOptions events;

    @Override
    public Integer call() throws InterruptedException {
        String query = (denied ? "&denied=true" : "")
                + (container == null ? "" : "&container=" + URLEncoder.encode(container, StandardCharsets.UTF_8));
        String header = String.format(FORMAT, "TIME", "SOURCE", "DESTINATION", "PROTO", "FROM", "TO", "VERDICT", "REASON");
        return EventStream.run(spec, options, events, "/api/v1/flows", query, header, FlowsCommand::row);
    }

    private static String row(JsonNode f) {
        return String.format(FORMAT, f.path("at").asText(), f.path("srcContainer").asText("-"),
                f.path("dstContainer").asText("-"), f.path("protocol").asText(),
                f.path("srcIp").asText() + ":" + f.path("srcPort").asInt(),
                f.path("dstIp").asText() + ":" + f.path("dstPort").asInt(),
                f.path("allowed").asBoolean() ? "allow" : "deny", f.path("reason").asText());
    }
}
