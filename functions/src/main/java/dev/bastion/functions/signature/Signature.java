package dev.bastion.functions.signature;

import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Matches every rule against each packet's payload: all literals in one pass per case mode (Aho-Corasick),
 * then the regular expressions, both reading the payload in place. Each matching rule raises its alert once
 * per packet; the strongest action among them is the verdict. Regexes reuse their matchers.
 */
final class Signature implements SecurityFunction {
    private final SignatureRule[] rules;
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

    Signature(List<SignatureRule> ruleList) {
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
            int end = (int) endExclusive;
            if (!matched[rule] && r.appliesTo(current.direction()) && r.inWindow(end - r.content().length, end)) {
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
        int end = (int) Math.min(length, scanLimit);
        if (exact != null) {
            exact.scan(AhoCorasick.start(), packet, 0, end, 0, exactSink);
        }
        if (folded != null) {
            folded.scan(AhoCorasick.start(), packet, 0, end, 0, foldedSink);
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

    private void markMatched(int rule) {
        matched[rule] = true;
        matchedList[matchedCount++] = rule;
    }
}
