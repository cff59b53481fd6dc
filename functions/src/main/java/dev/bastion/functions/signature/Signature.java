package dev.bastion.functions.signature;

import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.stream.StreamCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Matches every rule against each packet's payload: all literals in one pass per case mode (Aho-Corasick),
 * then the regular expressions, both reading the payload in place. In stream mode, literals are matched
 * over each direction's in-order TCP stream instead, so splitting a literal over segments does not hide it. Each matching rule raises its alert once
 * per packet; the strongest action among them is the verdict. Regexes reuse their matchers.
 */
final class Signature implements SecurityFunction {
    private final SignatureRule[] rules;
    private final boolean stream;     // literals over the TCP stream rather than each packet
    private final AhoCorasick exact;
    private final AhoCorasick folded;
    private final int[] exactRule;   // automaton pattern -> rule index
    private final int[] foldedRule;
    private final Matcher[] matchers; // per rule, null for literals
    private final int scanLimit;      // no rule looks beyond this payload index
    private final PayloadChars chars = new PayloadChars();
    private final boolean[] matched;
    private final int[] matchedList;
    private int matchedCount;
    private final Collector exactSink = new Collector(true);
    private final Collector foldedSink = new Collector(false);
    private PacketView current;

    Signature(List<SignatureRule> ruleList, boolean stream) {
        this.stream = stream;
        rules = ruleList.toArray(new SignatureRule[0]);
        List<byte[]> exactPatterns = new ArrayList<>();
        List<byte[]> foldedPatterns = new ArrayList<>();
        List<Integer> exactIds = new ArrayList<>();
        List<Integer> foldedIds = new ArrayList<>();
        matchers = new Matcher[rules.length];
        int limit = 0;
        for (int i = 0; i < rules.length; i++) {
            SignatureRule r = rules[i];
            if (r.content() != null) {
                (r.noCase() ? foldedPatterns : exactPatterns).add(r.content());
                (r.noCase() ? foldedIds : exactIds).add(i);
            } else {
                matchers[i] = r.regex().matcher("");
            }
            limit = r.depth() == 0 || limit == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(limit, r.offset() + r.depth());
        }
        scanLimit = limit;
        exact = exactPatterns.isEmpty() ? null : AhoCorasick.build(exactPatterns, false);
        folded = foldedPatterns.isEmpty() ? null : AhoCorasick.build(foldedPatterns, true);
        exactRule = exactIds.stream().mapToInt(Integer::intValue).toArray();
        foldedRule = foldedIds.stream().mapToInt(Integer::intValue).toArray();
        matched = new boolean[rules.length];
        matchedList = new int[rules.length];
    }

    /** Turns automaton matches into rule matches, checking direction and window. */
    private final class Collector implements AhoCorasick.Sink {
        private final boolean exactCase;

        Collector(boolean exactCase) {
            this.exactCase = exactCase;
        }

        @Override
        public boolean match(int pattern, long endExclusive) {
            int rule = exactCase ? exactRule[pattern] : foldedRule[pattern];
            SignatureRule r = rules[rule];
            if (!matched[rule] && r.appliesTo(current.direction())
                    && r.inWindow(endExclusive - r.content().length, endExclusive)) {
                markMatched(rule);
            }
            return true;
        }
    }

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        int length = packet.payloadLength();
        if (length == 0) {
            return Verdict.PASS;
        }
        current = packet;
        matchedCount = 0;
        if (stream && packet.isTcp()) {
            if (!scanStream(packet, flow.state(StreamState::new))) {
                current = null;
                return Verdict.DROP; // after a gap: resent in order later
            }
        } else {
            int end = (int) Math.min(length, scanLimit);
            if (exact != null) {
                exact.scan(AhoCorasick.start(), packet, 0, end, 0, exactSink);
            }
            if (folded != null) {
                folded.scan(AhoCorasick.start(), packet, 0, end, 0, foldedSink);
            }
        }
        for (int i = 0; i < rules.length; i++) {
            SignatureRule r = rules[i];
            if (matchers[i] != null && r.appliesTo(packet.direction()) && r.offset() < length) {
                Matcher m = matchers[i].reset(chars.over(packet));
                m.region(r.offset(), r.depth() == 0 ? length : Math.min(length, r.offset() + r.depth()));
                if (m.find()) {
                    markMatched(i);
                }
            }
        }
        current = null;
        SignatureAction strongest = null;
        for (int k = 0; k < matchedCount; k++) {
            int i = matchedList[k];
            matched[i] = false;
            SignatureRule r = rules[i];
            flow.alert(r.severity(), "signature " + r.id() + ": " + r.message());
            if (strongest == null || r.action().compareTo(strongest) > 0) {
                strongest = r.action();
            }
        }
        return strongest == null ? Verdict.PASS : strongest.verdict();
    }

    /**
     * Literal matching over the in-order byte stream of the packet's direction: the automata's states carry
     * over from the previous segment, so a literal split across segments is found, and offsets count from the
     * start of the stream. False for a segment after a gap.
     */
    private boolean scanStream(PacketView packet, StreamState state) {
        int d = packet.direction().ordinal();
        int from = state.cursors[d].newBytesFrom(packet);
        if (from == StreamCursor.GAP) {
            return false;
        }
        int end = packet.payloadLength();
        long base = state.offsets[d];
        if (base < scanLimit) {
            if (exact != null) {
                state.exactStates[d] = exact.scan(state.exactStates[d], packet, from, end, base, exactSink);
            }
            if (folded != null) {
                state.foldedStates[d] = folded.scan(state.foldedStates[d], packet, from, end, base, foldedSink);
            }
        }
        state.offsets[d] = base + (end - from);
        return true;
    }

    /** Per flow in stream mode, per direction: where the stream is and where the automata stand. */
    private static final class StreamState {
        final StreamCursor[] cursors = {new StreamCursor(), new StreamCursor()};
        final long[] offsets = new long[2];
        final int[] exactStates = new int[2];
        final int[] foldedStates = new int[2];
    }

    private void markMatched(int rule) {
        matched[rule] = true;
        matchedList[matchedCount++] = rule;
    }
}
