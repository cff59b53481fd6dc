package dev.bastion.functions.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bastion.functions.support.Payloads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

    private static List<String> matches(AhoCorasick ac, String text) {
        List<String> out = new ArrayList<>();
        ac.scan(AhoCorasick.start(), Payloads.of(text.getBytes(StandardCharsets.ISO_8859_1)), 0, text.length(), 0,
                (p, end) -> out.add(p + "@" + end));
        return out;
    }

    private static List<byte[]> patterns(String... p) {
        List<byte[]> out = new ArrayList<>();
        for (String s : p) {
            out.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void findsOverlappingAndNestedPatterns() {
        AhoCorasick ac = AhoCorasick.build(patterns("he", "she", "his", "hers"), false);
        assertEquals(List.of("1@4", "0@4", "3@6"), matches(ac, "ushers"));
        assertEquals(List.of(), matches(ac, "HERS"));
    }

    @Test
    void foldsAsciiCaseWhenAsked() {
        AhoCorasick ac = AhoCorasick.build(patterns("Union Select"), true);
        assertEquals(List.of("0@17"), matches(ac, "id=1 UNION sElEcT"));
    }

    @Test
    void stateCarriesAcrossChunks() {
        AhoCorasick ac = AhoCorasick.build(patterns("abcdef"), false);
        List<Long> ends = new ArrayList<>();
        byte[] text = "xxabcdefyy".getBytes(StandardCharsets.US_ASCII);
        int state = AhoCorasick.start();
        for (int i = 0; i < text.length; i += 3) {
            state = ac.scan(state, Payloads.of(text), i, Math.min(text.length, i + 3), i, (p, end) -> ends.add(end));
        }
        assertEquals(List.of(8L), ends);
    }

    @Test
    void agreesWithANaiveSearchOnRandomBytes() {
        Random random = new Random(7);
        List<byte[]> pats = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] p = new byte[1 + random.nextInt(4)];
            for (int k = 0; k < p.length; k++) {
                p[k] = (byte) random.nextInt(4);
            }
            pats.add(p);
        }
        byte[] text = new byte[2000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) random.nextInt(4);
        }
        AhoCorasick ac = AhoCorasick.build(pats, false);
        int[] found = new int[1];
        ac.scan(AhoCorasick.start(), Payloads.of(text), 0, text.length, 0, (p, end) -> {
            found[0]++;
            return true;
        });
        int expected = 0;
        for (byte[] p : pats) {
            outer:
            for (int i = 0; i + p.length <= text.length; i++) {
                for (int k = 0; k < p.length; k++) {
                    if (text[i + k] != p[k]) {
                        continue outer;
                    }
                }
                expected++;
            }
        }
        assertEquals(expected, found[0]);
    }
}
