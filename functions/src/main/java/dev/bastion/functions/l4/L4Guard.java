package dev.bastion.functions.l4;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.ratelimit.SourceTable;
import dev.bastion.functions.ratelimit.TokenBucket;

/**
 * Transport-layer checks that need no protocol knowledge above TCP: impossible flag combinations, SYN floods
 * from one source, and segments forged without seeing the connection (the RST-injection attack: an RST or
 * data whose sequence number lies outside the receiver's window, or that acknowledges unsent data, is
 * dropped before it reaches the receiver). Offending packets are dropped; the connection goes on.
 */
final class L4Guard implements SecurityFunction {
    private static final long ALERT_INTERVAL_NANOS = 1_000_000_000L;

    private final boolean flags;
    private final boolean rstGuard;
    private final boolean strictRst;
    private final boolean injectionGuard;
    private final SourceTable<TokenBucket> synBuckets;
    private long lastSynAlert = Long.MIN_VALUE;

    L4Guard(boolean flags, boolean rstGuard, boolean strictRst, boolean injectionGuard,
            double synPerSecond, double synBurst, int maxSources) {
        this.flags = flags;
        this.rstGuard = rstGuard;
        this.strictRst = strictRst;
        this.injectionGuard = injectionGuard;
        this.synBuckets = synPerSecond > 0
                ? new SourceTable<>(maxSources, now -> new TokenBucket(synPerSecond, synBurst, now)) : null;
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (!packet.isTcp()) {
            return Verdict.PASS;
        }
        int tcpFlags = packet.tcpFlags();
        if (flags) {
            String problem = TcpFlagCheck.problem(tcpFlags);
            if (problem != null) {
                flow.alert(Severity.MEDIUM, "l4-guard: " + problem);
                return Verdict.DROP;
            }
        }
        if (synBuckets != null && packet.direction() == Direction.ORIGINAL
                && (tcpFlags & (PacketView.TCP_SYN | PacketView.TCP_ACK)) == PacketView.TCP_SYN) {
            long now = packet.timestampNanos();
            if (!synBuckets.get(flow.key().sourceIp(), now).tryTake(1, now)) {
                if (now - lastSynAlert >= ALERT_INTERVAL_NANOS || lastSynAlert == Long.MIN_VALUE) {
                    lastSynAlert = now;
                    flow.alert(Severity.HIGH, "l4-guard: SYN rate of the source exceeded");
                }
                return Verdict.DROP;
            }
        }
        if (rstGuard || injectionGuard) {
            TcpWindowTracker tracker = flow.state(TcpWindowTracker::new);
            String problem = tracker.problem(packet, rstGuard, strictRst, injectionGuard);
            if (problem != null) {
                flow.alert(Severity.HIGH, "l4-guard: " + problem);
                return Verdict.DROP;
            }
            tracker.update(packet);
        }
        return Verdict.PASS;
    }
}
