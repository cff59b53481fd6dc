package dev.bastion.functions.tls;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.name.NameRules;
import dev.bastion.functions.stream.StreamCursor;
import java.nio.ByteBuffer;

/**
 * Decides a TLS connection on its ClientHello's server name. The client's first bytes are gathered (bounded)
 * until the ClientHello is complete; segments before that pass, as the server cannot answer an incomplete
 * ClientHello. Once decided, the connection is passed (or handed back to the kernel) or blocked for good.
 */
final class TlsSni implements SecurityFunction {
    private static final int RECORD_OVERHEAD = 1024; // room for record headers around a split ClientHello

    private final NameRules rules;
    private final boolean allowMissingSni;
    private final boolean allowNonTls;
    private final int maxHello;
    private final Verdict afterAllow;
    private final ClientHelloReader reader;

    TlsSni(NameRules rules, boolean allowMissingSni, boolean allowNonTls, int maxHello, TlsSniFactory.AfterAllow afterAllow) {
        this.rules = rules;
        this.allowMissingSni = allowMissingSni;
        this.allowNonTls = allowNonTls;
        this.maxHello = maxHello;
        this.afterAllow = afterAllow == TlsSniFactory.AfterAllow.BYPASS_FLOW ? Verdict.BYPASS_FLOW : Verdict.PASS;
        this.reader = new ClientHelloReader(maxHello);
    }

    private static final class FlowState {
        final StreamCursor cursor = new StreamCursor();
        ByteBuffer start = ByteBuffer.allocate(2048);
        Verdict decided;
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (!packet.isTcp() || packet.direction() != Direction.ORIGINAL) {
            return Verdict.PASS;
        }
        FlowState state = flow.state(FlowState::new);
        if (state.decided != null) {
            return state.decided == Verdict.BLOCK_FLOW ? Verdict.BLOCK_FLOW : Verdict.PASS;
        }
        int from = state.cursor.newBytesFrom(packet);
        if (from == StreamCursor.GAP) {
            return Verdict.DROP;
        }
        if (from == packet.payloadLength()) {
            return Verdict.PASS;
        }
        if (!append(state, packet, from)) {
            return decide(state, Verdict.BLOCK_FLOW, flow, "ClientHello longer than " + maxHello + " bytes");
        }
        ByteBuffer gathered = state.start.duplicate().flip();
        return switch (reader.read(gathered)) {
            case NEED_MORE -> Verdict.PASS;
            case FOUND -> rules.allows(reader.serverName())
                    ? decide(state, afterAllow, null, null)
                    : decide(state, Verdict.BLOCK_FLOW, flow, "server name '" + reader.serverName() + "' denied");
            case NO_SNI -> allowMissingSni
                    ? decide(state, afterAllow, null, null)
                    : decide(state, Verdict.BLOCK_FLOW, flow, "ClientHello without a server name");
            case NOT_TLS -> allowNonTls
                    ? decide(state, Verdict.PASS, null, null)
                    : decide(state, Verdict.BLOCK_FLOW, flow, "not a TLS connection");
            case MALFORMED -> decide(state, Verdict.BLOCK_FLOW, flow, "malformed ClientHello: " + reader.error());
        };
    }

    private boolean append(FlowState state, PacketView packet, int from) {
        int count = packet.payloadLength() - from;
        if (state.start.remaining() < count) {
            int needed = state.start.position() + count;
            if (needed > maxHello + RECORD_OVERHEAD) {
                return false;
            }
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(maxHello + RECORD_OVERHEAD, Math.max(needed, state.start.capacity() * 2)));
            bigger.put(state.start.flip());
            state.start = bigger;
        }
        for (int i = from; i < packet.payloadLength(); i++) {
            state.start.put(packet.payloadByte(i));
        }
        return true;
    }

    private static Verdict decide(FlowState state, Verdict verdict, FlowContext flow, String why) {
        state.decided = verdict;
        state.start = null; // the gathered bytes are no longer needed
        if (why != null) {
            flow.alert(Severity.HIGH, "tls-sni: " + why);
        }
        return verdict;
    }
}
