package dev.bastion.functions.ratelimit;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.DenyAction;

/**
 * Refuses packets over a flow's or its source's rate. The source is the flow's initiator (the key's source
 * address), so one client's many flows share its budget. Time is the packets' own timestamps. One alert per
 * flow marks the first refusal, so a flood does not turn into an alert flood.
 */
final class RateLimit implements SecurityFunction {
    private final Limit perFlow;
    private final Limit perSource;
    private final SourceTable<Limit.Buckets> sources;
    private final DenyAction action;
    private final boolean bothDirections;

    RateLimit(Limit perFlow, Limit perSource, int maxSources, DenyAction action, boolean bothDirections) {
        this.perFlow = perFlow;
        this.perSource = perSource;
        this.sources = perSource.isOff() ? null : new SourceTable<>(maxSources, perSource::buckets);
        this.action = action;
        this.bothDirections = bothDirections;
    }

    private static final class FlowState {
        Limit.Buckets buckets;
        boolean alerted;
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (!bothDirections && packet.direction() != Direction.ORIGINAL) {
            return Verdict.PASS;
        }
        long now = packet.timestampNanos();
        FlowState state = flow.state(FlowState::new);
        if (!perFlow.isOff()) {
            if (state.buckets == null) {
                state.buckets = perFlow.buckets(now);
            }
            if (!state.buckets.admit(packet.length(), now)) {
                return refuse(state, flow, "flow over its rate");
            }
        }
        if (sources != null && !sources.get(flow.key().sourceIp(), now).admit(packet.length(), now)) {
            return refuse(state, flow, "source over its rate");
        }
        return Verdict.PASS;
    }

    private Verdict refuse(FlowState state, FlowContext flow, String why) {
        if (!state.alerted) {
            state.alerted = true;
            flow.alert(Severity.MEDIUM, "rate-limit: " + why);
        }
        return action.verdict();
    }
}
