package dev.bastion.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SamplesTest {
    private static Samples of(double... values) {
        Samples s = new Samples();
        for (double v : values) {
            s.add(v);
        }
        return s;
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, of(3, 1, 2).median());
        assertEquals(2.5, of(4, 1, 2, 3).median());
    }

    @Test
    void ratioPairsTheRounds() {
        Samples bastion = of(11, 24, 13);
        Samples bridge = of(10, 20, 13);
        assertEquals("1.10x (1.00–1.20)", bastion.ratioTo(bridge));
        assertEquals("13.0 (11.0–24.0)", bastion.describe(1));
    }

    @Test
    void nearestRankPercentile() {
        assertEquals(99.0, of(java.util.stream.IntStream.rangeClosed(1, 100).asDoubleStream().toArray()).percentile(99));
        assertEquals(3.0, of(3, 1, 2).percentile(99));
    }

    @Test
    void tableHasHeaderSeparatorAndRows() {
        String t = new MarkdownTable("a", "b").row("1", "2").toString();
        assertEquals("| a | b |\n| --- | --- |\n| 1 | 2 |\n", t);
    }
}
