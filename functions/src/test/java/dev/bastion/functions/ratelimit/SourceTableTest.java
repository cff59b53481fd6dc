package dev.bastion.functions.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourceTableTest {

    @Test
    void keepsStatePerSource() {
        SourceTable<long[]> table = new SourceTable<>(64, now -> new long[] {now});
        long[] a = table.get(0x0a000001, 5);
        assertSame(a, table.get(0x0a000001, 6));
        assertNotSame(a, table.get(0x0a000002, 7));
        assertEquals(5, a[0]);
    }

    @Test
    void aFloodOfSourcesEvictsTheIdlestInsteadOfGrowing() {
        SourceTable<long[]> table = new SourceTable<>(64, now -> new long[] {now});
        long[] busy = table.get(1, 0);
        for (int i = 0; i < 10_000; i++) {
            table.get(1000 + i, i + 1);
            if (i % 4 == 0) {
                table.get(1, i + 1); // keep source 1 recently seen
            }
        }
        assertTrue(table.evictions() > 9_000, "evictions " + table.evictions());
        assertSame(busy, table.get(1, 20_000), "a recently seen source keeps its state");
    }
}
