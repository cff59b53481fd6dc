package dev.bastion.agent.attack;

import java.util.List;

/**
 * A run of the suite: each attack's outcome, and the legitimate client -> server traffic checked before and after
 * the attacks (protection that breaks what policies allow is no success).
 */
public record SuiteReport(String lab, Mode mode, TrafficCheck legitimateBefore, TrafficCheck legitimateAfter,
                          List<Outcome> outcomes) {

    public boolean asExpected() {
        return legitimateBefore.works() && legitimateAfter.works() && outcomes.stream().allMatch(Outcome::asExpected);
    }

    public Outcome outcome(String attack) {
        return outcomes.stream().filter(o -> o.attack().equals(attack)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no attack named " + attack + " in this report"));
    }
}
