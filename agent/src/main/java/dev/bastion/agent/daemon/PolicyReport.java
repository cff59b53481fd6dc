package dev.bastion.agent.daemon;

import dev.bastion.agent.events.EventLog;
import dev.bastion.agent.events.FlowRecord;
import dev.bastion.policies.assistant.AssistantReport;
import dev.bastion.policies.assistant.FlowObservation;
import dev.bastion.policies.assistant.PolicyAssistant;
import dev.bastion.policies.assistant.PolicyYaml;
import dev.bastion.policies.assistant.ReportText;
import dev.bastion.policies.model.PortSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The policy assistant over the agent's flow log: what {@code GET /api/v1/policy/report} answers. */
public final class PolicyReport {
    private PolicyReport() {
    }

    public static Map<String, Object> of(PolicyView view, EventLog<FlowRecord> flows) {
        List<FlowObservation> observed = flows.latest(Integer.MAX_VALUE, f -> true).stream()
                .map(e -> observation(e.event())).flatMap(Optional::stream).toList();
        AssistantReport report = PolicyAssistant.analyse(view.inventory(), observed);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flows", report.flows());
        out.put("clean", report.clean());
        out.put("missing", report.missing().size());
        out.put("excessive", report.excessive().size());
        out.put("legitimate", report.legitimate().size());
        out.put("text", ReportText.render(report));
        out.put("patch", report.clean() ? null : PolicyYaml.patch(view.inventory().policies(), report.suggested()));
        return out;
    }

    /** A flow record as the assistant reads it; flows of protocols it does not know are left out. */
    private static Optional<FlowObservation> observation(FlowRecord f) {
        PortSpec protocol;
        try {
            protocol = PortSpec.parse(f.protocol());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new FlowObservation(f.at(), Optional.ofNullable(f.srcContainer()),
                Optional.ofNullable(f.dstContainer()), protocol.protocol(), f.dstPort(), f.allowed()));
    }
}
