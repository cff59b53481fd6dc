package dev.bastion.functions.signature;

import dev.bastion.chain.spi.PacketView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-pattern byte matcher (Aho and Corasick, 1975) compiled to a full transition table, so scanning costs
 * one array load per byte and allocates nothing. Case-insensitive automata fold ASCII letters of both
 * patterns and input. The scan state is an int, so a caller can carry it from one packet to the next.
 */
public final class AhoCorasick {
    /** Receives matches; return false to stop scanning. */
    public interface Sink {
        boolean match(int pattern, long endExclusive);
    }

    private final int[] next;      // state * 256 + byte -> state
    private final int[][] outputs; // state -> patterns ending here (own and via suffix links)

    private AhoCorasick(int[] next, int[][] outputs) {
        this.next = next;
        this.outputs = outputs;
    }

    public static AhoCorasick build(List<byte[]> patterns, boolean foldCase) {
        List<int[]> trie = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        trie.add(newRow());
        out.add(new ArrayList<>());
        for (int id = 0; id < patterns.size(); id++) {
            byte[] p = patterns.get(id);
            if (p.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
            int s = 0;
            for (byte raw : p) {
                int b = fold(raw, foldCase);
                if (trie.get(s)[b] < 0) {
                    trie.get(s)[b] = trie.size();
                    trie.add(newRow());
                    out.add(new ArrayList<>());
                }
                s = trie.get(s)[b];
            }
            out.get(s).add(id);
        }
        int states = trie.size();
        int[] next = new int[states * 256];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int b = 0; b < 256; b++) {
            int child = trie.get(0)[b];
            next[b] = child < 0 ? 0 : child;
            if (child > 0) {
                queue.add(child);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            out.get(s).addAll(out.get(fail[s]));
            for (int b = 0; b < 256; b++) {
                int child = trie.get(s)[b];
                if (child < 0) {
                    next[s * 256 + b] = next[fail[s] * 256 + b];
                } else {
                    fail[child] = next[fail[s] * 256 + b];
                    next[s * 256 + b] = child;
                    queue.add(child);
                }
            }
        }
        if (foldCase) {
            for (int s = 0; s < states; s++) {
                for (int b = 'A'; b <= 'Z'; b++) {
                    next[s * 256 + b] = next[s * 256 + b + 32];
                }
            }
        }
        int[][] outputs = new int[states][];
        for (int s = 0; s < states; s++) {
            outputs[s] = out.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        return new AhoCorasick(next, outputs);
    }

    private static int[] newRow() {
        int[] row = new int[256];
        Arrays.fill(row, -1);
        return row;
    }

    private static int fold(byte raw, boolean foldCase) {
        int b = raw & 0xff;
        return foldCase && b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** The start state. */
    public static int start() {
        return 0;
    }

    /**
     * Scans payload bytes {@code [from, to)} of {@code packet} from {@code state}; reports each match with its
     * end as {@code baseOffset + (index - from) + 1}. Returns the state after the last byte scanned, or -1 if
     * the sink stopped the scan.
     */
    public int scan(int state, PacketView packet, int from, int to, long baseOffset, Sink sink) {
        int s = state;
        for (int i = from; i < to; i++) {
            s = next[(s << 8) | (packet.payloadByte(i) & 0xff)];
            int[] found = outputs[s];
            for (int k = 0; k < found.length; k++) {
                if (!sink.match(found[k], baseOffset + (i - from) + 1)) {
                    return -1;
                }
            }
        }
        return s;
    }

}
