package dev.bastion.agent.attack;

import java.util.Map;

/**
 * One attack's line in the report: what was expected in the suite's mode, what happened, what proves it, and which
 * drop counters rose while it ran ("container: reason" -> packets), i.e. which component blocked it.
 */
public record Outcome(String attack, String goal, Component component, Result expected, Result result, String evidence,
                      Map<String, Long> drops) {

    /** Whether the result is the expected one. A baseline lab may lack what an attack needs (NOT_APPLICABLE). */
    public boolean asExpected() {
        return result == expected || (expected == Result.FEASIBLE && result == Result.NOT_APPLICABLE);
    }
}
