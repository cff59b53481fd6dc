package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Writes many entries of a map family in one BPF_MAP_UPDATE_BATCH call. */
final class Batch {
    private Batch() {
    }

    static <K, V> void write(BpfMap map, Map<K, V> entries, Function<K, byte[]> key, Function<V, byte[]> value) {
        List<byte[]> keys = new ArrayList<>(entries.size());
        List<byte[]> values = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> {
            keys.add(key.apply(k));
            values.add(value.apply(v));
        });
        map.updateBatch(keys, values);
    }
}
