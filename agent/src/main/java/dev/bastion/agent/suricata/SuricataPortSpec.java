package dev.bastion.agent.suricata;

import java.util.List;

/**
 * What a chain asks of its Suricata: its rule files (relative to the agent's rule directory), Suricata's bundled
 * rule files by name, and when a verdict blocks the flow. Two specs that are equal share one running Suricata,
 * so reloading a chain that did not change keeps its Suricata running.
 */
public record SuricataPortSpec(String chain, List<String> ruleFiles, List<String> eventRules, BlockFlow blockFlow) {
    public SuricataPortSpec {
        ruleFiles = List.copyOf(ruleFiles);
        eventRules = List.copyOf(eventRules);
    }
}
