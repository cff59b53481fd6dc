package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bastion alerts}: alerts raised by the chains' functions, Suricata's included. Exit 1 if unreachable. */
@Command(name = "alerts", description = "Show recent alerts from security functions (--follow to keep watching).")
final class AlertsCommand implements Callable<Integer> {
    private static final String FORMAT = "%-24s %-16s %-14s %-8s %-10s %-43s %s";

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions options;

    @Mixin
    EventOptions events;

    @Override
    public Integer call() throws InterruptedException {
        String header = String.format(FORMAT, "TIME", "CHAIN", "FUNCTION", "SEVERITY", "ACTION", "FLOW", "MESSAGE");
        return EventStream.run(spec, options, events, "/api/v1/alerts", "", header, AlertsCommand::row);
    }

    private static String row(JsonNode a) {
        String flow = a.path("protocol").asText() + " " + a.path("srcIp").asText() + ":" + a.path("srcPort").asInt()
                + " > " + a.path("dstIp").asText() + ":" + a.path("dstPort").asInt();
        return String.format(FORMAT, a.path("at").asText(), a.path("chain").asText(), a.path("function").asText(),
                a.path("severity").asText(), a.path("action").asText(), flow, a.path("message").asText());
    }
}
