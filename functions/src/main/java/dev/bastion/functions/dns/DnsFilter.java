package dev.bastion.functions.dns;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.DenyAction;
import dev.bastion.functions.name.NameRules;
import dev.bastion.functions.stream.StreamCursor;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Checks the names of DNS queries: one message per UDP datagram, or length-prefixed messages on TCP
 * (RFC 1035 4.2.2), gathered across segments up to a bound. A query is refused if any of its names is; a
 * message that is not a well-formed query is refused too. Replies pass. On TCP a refusal sticks: every later
 * client segment gets the same verdict, as the refused bytes can no longer be told apart from resent ones.
 */
final class DnsFilter implements SecurityFunction {
    private final NameRules rules;
    private final DenyAction action;
    private final int maxTcpMessage;
    private final DnsQuestionReader reader = new DnsQuestionReader();
    private final Supplier<TcpState> newTcpState = TcpState::new; // made once: the constructor captures this
    private final ByteBuffer datagram = ByteBuffer.allocate(65535); // reused: a UDP query is copied, not wrapped

    DnsFilter(NameRules rules, DenyAction action, int maxTcpMessage) {
        this.rules = rules;
        this.action = action;
        this.maxTcpMessage = maxTcpMessage;
    }

    /** A TCP client stream: messages are gathered (their first {@code maxTcpMessage} bytes) and checked. */
    private final class TcpState {
        final StreamCursor cursor = new StreamCursor();
        final ByteBuffer message = ByteBuffer.allocate(maxTcpMessage);
        int prefix = -1;      // first length byte, while the second is awaited
        int length = -1;      // current message length, -1 while reading its prefix
        int skip;             // bytes of the last message beyond what was kept, still to come
        Verdict refused;      // once a message is refused, the stream cannot be resumed past it
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (packet.direction() != Direction.ORIGINAL) {
            return Verdict.PASS;
        }
        if (packet.isUdp()) {
            datagram.clear();
            for (int i = 0; i < packet.payloadLength(); i++) {
                datagram.put(packet.payloadByte(i));
            }
            return check(datagram.flip(), flow) ? Verdict.PASS : action.verdict();
        }
        if (!packet.isTcp()) {
            return Verdict.PASS;
        }
        TcpState state = flow.state(newTcpState);
        if (state.refused != null) {
            return state.refused;
        }
        int from = state.cursor.newBytesFrom(packet);
        if (from == StreamCursor.GAP) {
            return Verdict.DROP;
        }
        int end = packet.payloadLength();
        for (int i = from; i < end; ) {
            if (state.skip > 0) {
                int take = Math.min(state.skip, end - i);
                state.skip -= take;
                i += take;
            } else if (state.length < 0) {
                readPrefixByte(state, packet.payloadByte(i++) & 0xff);
            } else {
                int keep = Math.min(state.length, maxTcpMessage);
                int take = Math.min(keep - state.message.position(), end - i);
                for (int k = 0; k < take; k++) {
                    state.message.put(packet.payloadByte(i + k));
                }
                i += take;
                if (state.message.position() == keep) {
                    boolean ok = check(state.message.flip(), flow);
                    state.message.clear();
                    state.skip = state.length - keep;
                    state.length = -1;
                    if (!ok) {
                        state.refused = action.verdict();
                        return state.refused;
                    }
                }
            }
        }
        return Verdict.PASS;
    }

    private static void readPrefixByte(TcpState state, int b) {
        if (state.prefix < 0) {
            state.prefix = b;
        } else {
            state.length = (state.prefix << 8) | b;
            state.prefix = -1;
        }
    }

    /** Whether every question of the query in {@code message} is allowed. */
    private boolean check(ByteBuffer message, FlowContext flow) {
        if (!reader.start(message)) {
            flow.alert(Severity.MEDIUM, "dns-filter: refused message: " + reader.error());
            return false;
        }
        int seen = 0;
        while (reader.next()) {
            seen++;
            if (!rules.allows(reader.name())) {
                flow.alert(Severity.HIGH, "dns-filter: query for '" + reader.name() + "' denied");
                return false;
            }
        }
        if (reader.error() != null) {
            flow.alert(Severity.MEDIUM, "dns-filter: refused query: " + reader.error());
            return false;
        }
        return seen > 0 || reader.questionCount() == 0;
    }
}
