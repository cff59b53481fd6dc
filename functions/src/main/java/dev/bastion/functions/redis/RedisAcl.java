package dev.bastion.functions.redis;

import dev.bastion.chain.spi.Direction;
import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.stream.StreamCursor;

/**
 * Checks every command a Redis client sends (pipelined or not, split across segments or not). A denied
 * command, or a stream that is not RESP, blocks the flow: the command cannot be cut out of the byte stream
 * without breaking it, and the server would answer what got through.
 */
final class RedisAcl implements SecurityFunction {
    private final CommandSet allow;
    private final CommandSet deny;

    RedisAcl(CommandSet allow, CommandSet deny) {
        this.allow = allow;
        this.deny = deny;
    }

    private static final class FlowState {
        final StreamCursor cursor = new StreamCursor();
        final RespCommandScanner scanner = new RespCommandScanner();
        boolean blocked;
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (!packet.isTcp() || packet.direction() != Direction.ORIGINAL) {
            return Verdict.PASS;
        }
        FlowState state = flow.state(FlowState::new);
        if (state.blocked) {
            return Verdict.BLOCK_FLOW;
        }
        int from = state.cursor.newBytesFrom(packet);
        if (from == StreamCursor.GAP) {
            return Verdict.DROP; // resent in order later
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
                    flow.alert(Severity.MEDIUM, "redis-acl: not a Redis request stream: " + state.scanner.error());
                    return block(state);
                }
                case COMMAND -> {
                    if (!allowed(state.scanner)) {
                        flow.alert(Severity.HIGH, "redis-acl: command " + state.scanner.name() + " denied");
                        return block(state);
                    }
                }
            }
        }
    }

    private boolean allowed(RespCommandScanner scanner) {
        byte[] name = scanner.nameBytes();
        int length = scanner.nameLength();
        if (scanner.nameTruncated() || deny.contains(name, length)) {
            return false;
        }
        return allow.isEmpty() || allow.contains(name, length);
    }

    private static Verdict block(FlowState state) {
        state.blocked = true;
        return Verdict.BLOCK_FLOW;
    }
}
