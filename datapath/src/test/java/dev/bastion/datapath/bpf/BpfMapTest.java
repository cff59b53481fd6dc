package dev.bastion.datapath.bpf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.bastion.datapath.bpf.TestObjects.STATS_SIZE;
import static dev.bastion.datapath.bpf.TestObjects.u32;
import static dev.bastion.datapath.bpf.TestObjects.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "creates eBPF maps: needs root")
class BpfMapTest {
    private BpfObject object;
    private BpfMap settings;

    @BeforeEach
    void load() {
        object = TestObjects.load();
        settings = object.map("settings");
    }

    @AfterEach
    void close() {
        object.close();
    }

    @Test
    void describesItsShape() {
        assertEquals("settings", settings.name());
        assertEquals(MapType.HASH, settings.type());
        assertEquals(4, settings.keySize());
        assertEquals(8, settings.valueSize());
        assertEquals(64, settings.maxEntries());
        assertTrue(settings.fd() > 0);
    }

    @Test
    void updatesLooksUpAndDeletes() {
        assertTrue(settings.lookup(u32(7)).isEmpty());
        settings.update(u32(7), u64(42));
        assertEquals(42, TestObjects.u64(settings.lookup(u32(7)).orElseThrow()));
        settings.update(u32(7), u64(43), BpfMap.EXIST);
        assertEquals(43, TestObjects.u64(settings.lookup(u32(7)).orElseThrow()));

        BpfException exists = assertThrows(BpfException.class, () -> settings.update(u32(7), u64(1), BpfMap.NO_EXIST));
        assertEquals(17, exists.errno()); // EEXIST
        assertTrue(exists.getMessage().startsWith("update map 'settings': File exists"), exists.getMessage());
        BpfException missing = assertThrows(BpfException.class, () -> settings.update(u32(8), u64(1), BpfMap.EXIST));
        assertEquals(2, missing.errno()); // ENOENT

        assertTrue(settings.delete(u32(7)));
        assertFalse(settings.delete(u32(7)));
        assertTrue(settings.lookup(u32(7)).isEmpty());
    }

    @Test
    void rejectsKeysAndValuesOfTheWrongSize() {
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> settings.lookup(new byte[3]));
        assertTrue(key.getMessage().contains("map 'settings'"), key.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings.update(u32(1), u32(1)));
    }

    @Test
    void updatesInBatchesAndListsKeys() {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add(u32(100 + i));
            values.add(u64(1000 + i));
        }
        settings.updateBatch(keys, values);
        assertEquals(1019, TestObjects.u64(settings.lookup(u32(119)).orElseThrow()));
        Set<Integer> listed = settings.keys().stream()
                .map(k -> ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt())
                .collect(Collectors.toSet());
        assertEquals(Set.copyOf(keys.stream().map(k -> ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt()).toList()), listed);

        List<byte[]> tooMany = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            tooMany.add(u32(1000 + i));
        }
        BpfException full = assertThrows(BpfException.class,
                () -> settings.updateBatch(tooMany, tooMany.stream().map(k -> u64(1)).toList()));
        assertEquals(7, full.errno(), full.getMessage()); // E2BIG: 64 entries at most
        assertTrue(full.getMessage().startsWith("batch update (44 of 70 done) of map 'settings'"), full.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings.updateBatch(List.of(u32(1)), List.of()));
    }

    @Test
    void perCpuValuesComeOnePerPossibleCpuWithoutKernelPadding() {
        BpfMap stats = object.map("stats");
        assertTrue(stats.type().perCpu());
        assertEquals(STATS_SIZE, stats.valueSize());
        int cpus = Cpus.possible();
        assertTrue(cpus >= 1);
        assertEquals(STATS_SIZE * cpus, stats.valueLength());

        // 12-byte values sit 16 bytes apart in the kernel: distinct values per CPU must come back intact.
        ByteBuffer written = ByteBuffer.allocate(stats.valueLength()).order(ByteOrder.nativeOrder());
        for (int cpu = 0; cpu < cpus; cpu++) {
            written.putInt(cpu + 1).putInt(100 * (cpu + 1)).putInt(-1 - cpu);
        }
        stats.update(u32(2), written.array());
        assertArrayEquals(written.array(), stats.lookup(u32(2)).orElseThrow());
        assertEquals(List.of(0, 1, 2, 3), stats.keys().stream()
                .map(k -> ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt()).toList());
        stats.updateBatch(List.of(u32(3)), List.of(written.array()));
        assertArrayEquals(written.array(), stats.lookup(u32(3)).orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> stats.update(u32(1), new byte[STATS_SIZE]));
    }

    @Test
    void pinnedMapsAreSharedWithTheirObject() throws Exception {
        try (PinDirectory pins = new PinDirectory()) {
            settings.pin(pins.resolve("maps/settings"));
            BpfException twice = assertThrows(BpfException.class, () -> settings.pin(pins.resolve("maps/settings")));
            assertEquals(17, twice.errno());
            try (BpfMap pinned = BpfMap.openPinned(pins.resolve("maps/settings"))) {
                assertEquals("settings", pinned.name());
                assertEquals(MapType.HASH, pinned.type());
                assertEquals(4, pinned.keySize());
                assertEquals(8, pinned.valueSize());
                assertEquals(64, pinned.maxEntries());
                pinned.update(u32(5), u64(55));
                assertEquals(55, TestObjects.u64(settings.lookup(u32(5)).orElseThrow()));
                pinned.close();
                assertThrows(IllegalStateException.class, pinned::fd);
            }
            BpfException absent = assertThrows(BpfException.class, () -> BpfMap.openPinned(pins.resolve("absent")));
            assertTrue(absent.getMessage().contains("absent"), absent.getMessage());
            assertEquals(2, absent.errno());
        }
    }
}
