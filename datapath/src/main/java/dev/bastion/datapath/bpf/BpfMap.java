package dev.bastion.datapath.bpf;

import dev.bastion.datapath.net.Libc;
import jnr.ffi.byref.IntByReference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A kernel BPF map, by file descriptor. Keys and values are the raw bytes of the C structs (host byte order,
 * i.e. little-endian here). Per-CPU maps take and return one value per possible CPU ({@link Cpus#possible()}),
 * concatenated, each exactly {@link #valueSize()} bytes: the kernel's 8-byte padding between them is handled here.
 * <p>
 * A map obtained from a {@link BpfObject} belongs to it (valid until the object is closed; closing the map does
 * nothing); one from {@link #openPinned(Path)} owns its descriptor. Operations are single bpf() syscalls, safe
 * from any thread.
 */
public final class BpfMap implements AutoCloseable {
    /** Create or replace (BPF_ANY). */
    public static final long ANY = 0;
    /** Create only: fails with EEXIST if the key is there (BPF_NOEXIST). */
    public static final long NO_EXIST = 1;
    /** Replace only: fails with ENOENT if the key is missing (BPF_EXIST). */
    public static final long EXIST = 2;

    private static final int ENOENT = 2;
    private static final int MAP_INFO_LENGTH = 88;
    private static final int OBJECT_NAME_LENGTH = 16;

    private final String name;
    private final MapType type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final int fd;
    private final BpfObject owner;
    private final int cpus;
    private volatile boolean closed;

    BpfMap(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags, int fd, BpfObject owner) {
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.fd = fd;
        this.owner = owner;
        this.cpus = type.perCpu() ? Cpus.possible() : 1;
    }

    /** Opens a map pinned in bpffs (e.g. by an earlier run of the agent). */
    public static BpfMap openPinned(Path path) {
        int fd = Pins.open(path, "map");
        try {
            return describe(fd, null);
        } catch (RuntimeException e) {
            Libc.INSTANCE.close(fd);
            throw e;
        }
    }

    /** A map for an open descriptor, its shape read from the kernel. */
    static BpfMap describe(int fd, BpfObject owner) {
        byte[] info = new byte[MAP_INFO_LENGTH];
        IntByReference length = new IntByReference(info.length);
        BpfException.check(LibBpf.INSTANCE.bpf_obj_get_info_by_fd(fd, info, length), "read info of", "map fd " + fd);
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
        int nameEnd = 24;
        while (nameEnd < 24 + OBJECT_NAME_LENGTH && info[nameEnd] != 0) {
            nameEnd++;
        }
        String name = new String(info, 24, nameEnd - 24, StandardCharsets.US_ASCII);
        return new BpfMap(name, MapType.of(b.getInt(0)), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20), fd, owner);
    }

    public String name() {
        return name;
    }

    public MapType type() {
        return type;
    }

    public int keySize() {
        return keySize;
    }

    /** Size of one value; per-CPU maps hold {@link Cpus#possible()} of them per key. */
    public int valueSize() {
        return valueSize;
    }

    /** Bytes of a value as {@link #update} takes it and {@link #lookup} returns it. */
    public int valueLength() {
        return valueSize * cpus;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** The map_flags it was created with (BPF_F_NO_PREALLOC...). */
    public int flags() {
        return flags;
    }

    public int fd() {
        if (owner != null) {
            owner.ensureOpen();
        } else if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        return fd;
    }

    public void update(byte[] key, byte[] value) {
        update(key, value, ANY);
    }

    /** @param flags {@link #ANY}, {@link #NO_EXIST} or {@link #EXIST} */
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        checkValue(value);
        BpfException.check(LibBpf.INSTANCE.bpf_map_update_elem(fd(), key, toKernel(value), flags), "update", toString());
    }

    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        byte[] value = new byte[kernelValueLength()];
        int result = LibBpf.INSTANCE.bpf_map_lookup_elem(fd(), key, value);
        if (result == -ENOENT) {
            return Optional.empty();
        }
        BpfException.check(result, "lookup in", toString());
        return Optional.of(fromKernel(value));
    }

    /** @return whether the key was there */
    public boolean delete(byte[] key) {
        checkKey(key);
        int result = LibBpf.INSTANCE.bpf_map_delete_elem(fd(), key);
        if (result == -ENOENT) {
            return false;
        }
        BpfException.check(result, "delete from", toString());
        return true;
    }

    /**
     * Creates or replaces many entries with one syscall (the kernel takes no per-element NO_EXIST/EXIST here).
     * On failure the exception says how many entries were written.
     */
    public void updateBatch(List<byte[]> keys, List<byte[]> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values for " + this);
        }
        if (keys.isEmpty()) {
            return;
        }
        int kernelValueLength = kernelValueLength();
        byte[] allKeys = new byte[keys.size() * keySize];
        byte[] allValues = new byte[values.size() * kernelValueLength];
        for (int i = 0; i < keys.size(); i++) {
            checkKey(keys.get(i));
            checkValue(values.get(i));
            System.arraycopy(keys.get(i), 0, allKeys, i * keySize, keySize);
            System.arraycopy(toKernel(values.get(i)), 0, allValues, i * kernelValueLength, kernelValueLength);
        }
        IntByReference count = new IntByReference(keys.size());
        int result = LibBpf.INSTANCE.bpf_map_update_batch(fd(), allKeys, allValues, count, null);
        if (result < 0) {
            throw new BpfException("batch update (" + count.intValue() + " of " + keys.size() + " done) of", toString(), result);
        }
    }

    /** Every key in the map, in the kernel's iteration order. */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        byte[] previous = null;
        while (true) {
            byte[] next = new byte[keySize];
            int result = LibBpf.INSTANCE.bpf_map_get_next_key(fd(), previous, next);
            if (result == -ENOENT) {
                return keys;
            }
            BpfException.check(result, "iterate", toString());
            keys.add(next);
            previous = next;
        }
    }

    /** Pins the map in bpffs, creating missing directories; it then outlives this process. */
    public void pin(Path path) {
        Pins.pin(fd(), path, toString());
    }

    /** Closes a pinned-and-opened map's descriptor; a no-op for maps of a {@link BpfObject}. */
    @Override
    public void close() {
        if (owner == null && !closed) {
            closed = true;
            Libc.INSTANCE.close(fd);
        }
    }

    @Override
    public String toString() {
        return "map '" + name + "'";
    }

    private int kernelValueLength() {
        return cpus == 1 ? valueSize : paddedValueSize() * cpus;
    }

    private int paddedValueSize() {
        return (valueSize + 7) & ~7;
    }

    private byte[] toKernel(byte[] value) {
        if (cpus == 1 || paddedValueSize() == valueSize) {
            return value;
        }
        byte[] padded = new byte[kernelValueLength()];
        for (int cpu = 0; cpu < cpus; cpu++) {
            System.arraycopy(value, cpu * valueSize, padded, cpu * paddedValueSize(), valueSize);
        }
        return padded;
    }

    private byte[] fromKernel(byte[] value) {
        if (cpus == 1 || paddedValueSize() == valueSize) {
            return value;
        }
        byte[] packed = new byte[valueLength()];
        for (int cpu = 0; cpu < cpus; cpu++) {
            System.arraycopy(value, cpu * paddedValueSize(), packed, cpu * valueSize, valueSize);
        }
        return packed;
    }

    private void checkKey(byte[] key) {
        if (key.length != keySize) {
            throw new IllegalArgumentException("key of " + key.length + " bytes for " + this + ", which has " + keySize);
        }
    }

    private void checkValue(byte[] value) {
        if (value.length != valueLength()) {
            throw new IllegalArgumentException("value of " + value.length + " bytes for " + this + ", which takes "
                    + valueLength() + (cpus > 1 ? " (" + valueSize + " for each of " + cpus + " CPUs)" : ""));
        }
    }
}
