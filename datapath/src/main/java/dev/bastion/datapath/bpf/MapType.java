package dev.bastion.datapath.bpf;

/** Kernel map types (enum bpf_map_type, in the kernel's order: the ordinal is the kernel's number). */
public enum MapType {
    UNSPEC, HASH, ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, PERCPU_HASH, PERCPU_ARRAY, STACK_TRACE, CGROUP_ARRAY,
    LRU_HASH, LRU_PERCPU_HASH, LPM_TRIE, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, SOCKMAP, CPUMAP, XSKMAP, SOCKHASH,
    CGROUP_STORAGE, REUSEPORT_SOCKARRAY, PERCPU_CGROUP_STORAGE, QUEUE, STACK, SK_STORAGE, DEVMAP_HASH, STRUCT_OPS,
    RINGBUF, INODE_STORAGE, TASK_STORAGE, BLOOM_FILTER, USER_RINGBUF, CGRP_STORAGE, ARENA,
    /** A type newer than this list. */
    UNKNOWN;

    static MapType of(int kernelType) {
        MapType[] all = values();
        return kernelType >= 0 && kernelType < UNKNOWN.ordinal() ? all[kernelType] : UNKNOWN;
    }

    /** Per-CPU maps hold one value per possible CPU for each key. */
    public boolean perCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH || this == PERCPU_CGROUP_STORAGE;
    }
}
