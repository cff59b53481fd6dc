package dev.bastion.policies.assistant;

import java.util.List;

/** The assistant's report for people: the three classes, then notes on the suggestion. */
public final class ReportText {

    private ReportText() {
    }

    public static String render(AssistantReport report) {
        StringBuilder out = new StringBuilder();
        out.append(report.flows()).append(" flows");
        report.from().ifPresent(f -> out.append(" from ").append(f).append(" to ").append(report.to().orElseThrow()));
        out.append('\n');
        section(out, "Legitimate accesses (allowed by the policies)", report.legitimate(), true);
        section(out, "Missing policies (flows no policy allows)", report.missing(), true);
        section(out, "Excessive policies (no flow in the window)", report.excessive(), false);
        if (report.unattributed() > 0) {
            out.append("\n").append(report.unattributed()).append(" flows from or to an address of no known container (not classified)\n");
        }
        if (!report.notes().isEmpty()) {
            out.append("\nNotes on the suggestion:\n");
            report.notes().forEach(n -> out.append("  ").append(n).append('\n'));
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<Finding> findings, boolean counted) {
        out.append('\n').append(title).append(": ").append(findings.isEmpty() ? "none" : findings.size()).append('\n');
        for (Finding f : findings) {
            out.append(String.format("  %-24s -> %-24s %s", f.fromSet(), f.toSet(), PolicyYaml.ports(f.ports())));
            if (counted) {
                out.append("  (").append(f.flows()).append(f.flows() == 1 ? " flow)" : " flows)");
            }
            out.append('\n');
        }
    }
}
