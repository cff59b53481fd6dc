package com.example.bastion;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.TcpStreamBuffer;
import dev.bastion.chain.spi.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Gathers the client's first request head with the engine's {@link TcpStreamBuffer} (so a head split over
 * segments is seen whole), then decides the connection once: blocked if the User-Agent contains a listed
 * part, passed otherwise. Later requests on the same connection are not looked at.
 */
final class UserAgentBlock implements SecurityFunction {
    private final List<String> block;
    private final int maxHead;
    private final Supplier<State> newState = State::new; // made once, so packets do not each make one

    UserAgentBlock(List<String> block, int maxHead) {
        this.block = block;
        this.maxHead = maxHead;
    }

    /** Per connection: the gathered bytes until a decision, then the decision. */
    private final class State {
        TcpStreamBuffer stream = new TcpStreamBuffer(maxHead);
        Verdict decided;
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (!packet.isTcp() || packet.direction() != Direction.ORIGINAL) {
            return Verdict.PASS;
        }
        State state = flow.state(newState);
        if (state.decided != null) {
            return state.decided;
        }
        state.stream.accept(packet);
        int available = state.stream.available(Direction.ORIGINAL);
        int headEnd = headEnd(state.stream, available);
        if (headEnd < 0) {
            if (available >= maxHead || state.stream.overflowed(Direction.ORIGINAL)) {
                return decide(state, Verdict.PASS); // longer than this example looks
            }
            return Verdict.PASS;
        }
        byte[] head = new byte[headEnd];
        state.stream.view(Direction.ORIGINAL).get(head);
        String userAgent = userAgent(new String(head, StandardCharsets.ISO_8859_1));
        for (String part : block) {
            if (userAgent.contains(part)) {
                flow.alert(Severity.MEDIUM, "user-agent-block: blocked client '" + userAgent + "'");
                return decide(state, Verdict.BLOCK_FLOW);
            }
        }
        return decide(state, Verdict.PASS);
    }

    private static Verdict decide(State state, Verdict verdict) {
        state.decided = verdict;
        state.stream = null; // nothing more to gather
        return verdict;
    }

    /** Length of the head up to its blank line, or -1 while it is incomplete. */
    private static int headEnd(TcpStreamBuffer stream, int available) {
        for (int i = 3; i < available; i++) {
            if (stream.get(Direction.ORIGINAL, i) == '\n' && stream.get(Direction.ORIGINAL, i - 1) == '\r'
                    && stream.get(Direction.ORIGINAL, i - 2) == '\n' && stream.get(Direction.ORIGINAL, i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The User-Agent header's value in lower case, or "" if there is none. */
    private static String userAgent(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("user-agent")) {
                return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }
}
