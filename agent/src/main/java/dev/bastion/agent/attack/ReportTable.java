package dev.bastion.agent.attack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.stream.Collectors;

/** A suite report for people (a table: attack, component, expected, result, blocked by, evidence) and for programs (JSON). */
public final class ReportTable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String ROW = "%-26s %-10s %-9s %-14s %-3s %-24s %s%n";

    private ReportTable() {
    }

    public static String text(SuiteReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Attack suite on lab %s, %s: every attack expected %s%n", report.lab(),
                report.mode() == Mode.BASELINE ? "baseline (no protection)" : "protected", report.mode().expected()));
        out.append(String.format(Locale.ROOT, ROW, "ATTACK", "COMPONENT", "EXPECTED", "RESULT", "OK", "BLOCKED BY (drops)", "EVIDENCE"));
        for (Outcome o : report.outcomes()) {
            String drops = o.drops().isEmpty() ? "-" : o.drops().entrySet().stream()
                    .map(e -> e.getKey() + " +" + e.getValue()).collect(Collectors.joining(", "));
            out.append(String.format(Locale.ROOT, ROW, o.attack(), shortName(o.component()), o.expected(), o.result(),
                    o.asExpected() ? "ok" : "NO", drops, o.evidence()));
        }
        out.append(String.format(Locale.ROOT, "legitimate traffic before: %s; after: %s%n", describe(report.legitimateBefore()),
                describe(report.legitimateAfter())));
        long ok = report.outcomes().stream().filter(Outcome::asExpected).count();
        out.append(String.format(Locale.ROOT, "%d of %d attacks as expected; %s%n", ok, report.outcomes().size(),
                report.asExpected() ? "the run is as expected" : "the run is NOT as expected"));
        return out.toString();
    }

    public static String json(SuiteReport report) {
        ObjectNode root = JSON.valueToTree(report);
        root.put("asExpected", report.asExpected());
        ArrayNode outcomes = (ArrayNode) root.get("outcomes");
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = report.outcomes().get(i);
            ((ObjectNode) outcomes.get(i)).put("asExpected", o.asExpected()).put("componentTitle", o.component().title());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(TrafficCheck check) {
        return (check.works() ? "works" : "BROKEN") + " (" + check.evidence() + ")";
    }

    private static String shortName(Component c) {
        return switch (c) {
            case SOURCE_VERIFICATION -> "src-verif";
            case DIRECT_ARP -> "arp";
            case GATEWAY_AND_SERVICE_IP -> "gateway";
            case ISOLATION -> "isolation";
            case DIRECT_FORWARDING -> "direct-fwd";
        };
    }
}
