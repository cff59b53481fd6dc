package dev.bastion.functions.http;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.stream.StreamCursor;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks each request on an HTTP/1.x connection against the rules. A request is decided when its head is
 * complete, whatever the segments it came in; a denied request, or a stream that breaks HTTP framing, blocks
 * the flow (the datapath cannot answer 403, and cutting bytes out of a TCP stream would desynchronize it).
 * Replies are read only for their status line when the client asked to switch protocols.
 */
final class HttpFilter implements SecurityFunction {
    private final List<HttpRule> allow;
    private final List<HttpRule> deny;
    private final int maxHead;
    private final Supplier<FlowState> newState = FlowState::new; // made once: the constructor captures this

    HttpFilter(List<HttpRule> allow, List<HttpRule> deny, int maxHead) {
        this.allow = allow;
        this.deny = deny;
        this.maxHead = maxHead;
    }

    private final class FlowState {
        final StreamCursor cursor = new StreamCursor();
        final HttpRequestScanner scanner = new HttpRequestScanner(maxHead);
        boolean blocked;
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (!packet.isTcp()) {
            return Verdict.PASS;
        }
        FlowState state = flow.state(newState);
        if (packet.direction() == Direction.REPLY) {
            if (state.scanner.switchRequested() && packet.payloadLength() >= 12) {
                state.scanner.serverAnswered(statusCode(packet));
            }
            return Verdict.PASS;
        }
        if (state.blocked) {
            return Verdict.BLOCK_FLOW;
        }
        int from = state.cursor.newBytesFrom(packet);
        if (from == StreamCursor.GAP) {
            return Verdict.DROP;
        }
        if (from == packet.payloadLength()) {
            return Verdict.PASS;
        }
        for (int at = from; ; at = state.scanner.position()) {
            switch (state.scanner.scan(packet, at)) {
                case NEED_MORE -> {
                    return Verdict.PASS;
                }
                case MALFORMED -> {
                    flow.alert(Severity.MEDIUM, "http-filter: malformed request: " + state.scanner.error());
                    return block(state);
                }
                case REQUEST -> {
                    HttpRequestHead request = state.scanner.request();
                    if (!allowed(request)) {
                        flow.alert(Severity.HIGH, "http-filter: denied " + request.method() + " " + request.target()
                                + " (host '" + request.host() + "')");
                        return block(state);
                    }
                }
            }
        }
    }

    private boolean allowed(HttpRequestHead request) {
        for (HttpRule rule : deny) {
            if (rule.matches(request)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (HttpRule rule : allow) {
            if (rule.matches(request)) {
                return true;
            }
        }
        return false;
    }

    /** The status of a reply starting with {@code HTTP/1.x NNN}, or 0. */
    private static int statusCode(PacketView packet) {
        if (packet.payloadByte(0) != 'H' || packet.payloadByte(8) != ' ') {
            return 0;
        }
        int code = 0;
        for (int i = 9; i < 12; i++) {
            int d = packet.payloadByte(i) - '0';
            if (d < 0 || d > 9) {
                return 0;
            }
            code = code * 10 + d;
        }
        return code;
    }

    private static Verdict block(FlowState state) {
        state.blocked = true;
        return Verdict.BLOCK_FLOW;
    }
}
