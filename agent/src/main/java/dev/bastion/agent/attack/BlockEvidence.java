package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;
import java.util.Map;

/**
 * What protects the lab and what it counts: per container, how many packets were dropped for each reason (the
 * datapath's counters map, by the reason names the datapath gives them). The suite reads it before and after each
 * attack, so that its report names what blocked the attack.
 */
public interface BlockEvidence {

    /** Nothing protects the lab: the insecure baseline. */
    BlockEvidence NONE = new BlockEvidence() {
        @Override
        public Mode mode() {
            return Mode.BASELINE;
        }

        @Override
        public Map<String, Long> drops(Container container) {
            return Map.of();
        }
    };

    /** Protection whose drop counters cannot be read (yet): attacks are judged by their effect, no component named. */
    static BlockEvidence uncounted() {
        return new BlockEvidence() {
            @Override
            public Mode mode() {
                return Mode.PROTECTED;
            }

            @Override
            public Map<String, Long> drops(Container container) {
                return Map.of();
            }
        };
    }

    Mode mode();

    /** Drop counters of {@code container} by reason, totals since they started (never reset during a run). */
    Map<String, Long> drops(Container container);
}
