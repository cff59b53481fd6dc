package dev.bastion.datapath.bpf;

import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An eBPF object file (clang output with BTF) opened by libbpf: maps may be redirected to pinned ones
 * ({@link #reuseMap}) before {@link #load()} creates the rest in the kernel and loads the programs. Maps and
 * programs handed out belong to the object and are valid until it is closed. Not thread-safe.
 */
public final class BpfObject implements AutoCloseable {
    private final Pointer object;
    private final String name;
    /** The ELF image of an object opened from memory: libbpf reads it until load. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Pointer image;
    private boolean loaded;
    private volatile boolean closed;
    private final Map<String, BpfMap> described = new ConcurrentHashMap<>();

    private BpfObject(Pointer object, String name, Pointer image) {
        this.object = object;
        this.name = name;
        this.image = image;
    }

    /** Opens an object file. */
    public static BpfObject open(Path path) {
        Pointer object = LibBpf.INSTANCE.bpf_object__open_file(path.toString(), null);
        if (object == null) {
            throw new BpfException("open eBPF object", path.toString(), LastError.getLastError(LibBpf.RUNTIME));
        }
        return new BpfObject(object, path.getFileName().toString(), null);
    }

    /** Opens an object shipped on the classpath, e.g. "bpf/bastion.o" from the datapath jar. */
    public static BpfObject openResource(String resource) {
        byte[] bytes;
        try (InputStream in = BpfObject.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no eBPF object '" + resource + "' on the classpath");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read eBPF object '" + resource + "' from the classpath", e);
        }
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        Pointer image = Memory.allocateDirect(LibBpf.RUNTIME, bytes.length);
        image.put(0, bytes, 0, bytes.length);
        // Like open_file, name the object after its file without extension (libbpf prefixes .data/.rodata maps with it).
        byte[] objectName = (fileName.replaceFirst("\\..*$", "") + "\0").getBytes(StandardCharsets.US_ASCII);
        Pointer namePointer = Memory.allocateDirect(LibBpf.RUNTIME, objectName.length);
        namePointer.put(0, objectName, 0, objectName.length);
        LibBpf.ObjectOpenOpts opts = new LibBpf.ObjectOpenOpts();
        opts.objectName.set(namePointer);
        Pointer object = LibBpf.INSTANCE.bpf_object__open_mem(image, bytes.length, Struct.getMemory(opts));
        Reference.reachabilityFence(namePointer); // the options hold its bare address; libbpf copies the name
        if (object == null) {
            throw new BpfException("open eBPF object", "classpath:" + resource, LastError.getLastError(LibBpf.RUNTIME));
        }
        return new BpfObject(object, fileName, image);
    }

    /** The object's file name. */
    public String name() {
        return name;
    }

    /**
     * Makes map {@code mapName} use the map pinned at {@code pinned} instead of creating a new one, so that a
     * restarted agent keeps the state the datapath is running with. Must come before {@link #load()}.
     *
     * @return false when nothing is pinned there (the map will be created empty)
     * @throws IllegalStateException when the pinned map's type, key, value, size or flags differ from the
     *                               object's definition (the program would misread it)
     */
    public boolean reuseMap(String mapName, Path pinned) {
        ensureOpen();
        if (loaded) {
            throw new IllegalStateException("reuseMap(" + mapName + ") after load() of " + name);
        }
        Pointer map = findMap(mapName);
        if (!Files.exists(pinned)) {
            return false;
        }
        try (BpfMap existing = BpfMap.openPinned(pinned)) {
            BpfMap wanted = describe(map, -1);
            if (existing.type() != wanted.type() || existing.keySize() != wanted.keySize()
                    || existing.valueSize() != wanted.valueSize() || existing.maxEntries() != wanted.maxEntries()
                    || existing.flags() != wanted.flags()) {
                throw new IllegalStateException("the map pinned at " + pinned + " (" + shape(existing)
                        + ") does not match map '" + mapName + "' of " + name + " (" + shape(wanted)
                        + "): remove the pin to start that map empty");
            }
            // libbpf duplicates the descriptor; ours is closed with `existing`.
            BpfException.check(LibBpf.INSTANCE.bpf_map__reuse_fd(map, existing.fd()),
                    "reuse " + pinned + " as map '" + mapName + "' of", name);
        }
        return true;
    }

    /** Creates the maps (except reused ones) and loads every program, with the verifier's log on failure. */
    public void load() {
        ensureOpen();
        if (loaded) {
            throw new IllegalStateException(name + " is already loaded");
        }
        LibbpfLog.collect();
        int result = LibBpf.INSTANCE.bpf_object__load(object);
        String log = LibbpfLog.collected();
        if (result < 0) {
            throw new BpfException("load eBPF object", name, result, log);
        }
        loaded = true;
    }

    public BpfMap map(String mapName) {
        ensureLoaded();
        // Described once: the kernel's answer does not change while the object lives, and map writes are hot
        // (a container's protection is a few dozen of them).
        return described.computeIfAbsent(mapName, n -> {
            Pointer map = findMap(n);
            return describe(map, LibBpf.INSTANCE.bpf_map__fd(map));
        });
    }

    public BpfProgram program(String programName) {
        ensureLoaded();
        Pointer program = LibBpf.INSTANCE.bpf_object__find_program_by_name(object, programName);
        if (program == null) {
            throw new IllegalArgumentException("no program '" + programName + "' in " + name + " (it has "
                    + programNames() + ")");
        }
        return new BpfProgram(programName, LibBpf.INSTANCE.bpf_program__type(program),
                LibBpf.INSTANCE.bpf_program__fd(program), this);
    }

    /** Names of the object's maps, including libbpf's internal ones (.data, .rodata, .bss). */
    public List<String> mapNames() {
        ensureOpen();
        return names(LibBpf.INSTANCE::bpf_object__next_map, LibBpf.INSTANCE::bpf_map__name);
    }

    /** Names of the object's programs (the C function names). */
    public List<String> programNames() {
        ensureOpen();
        return names(LibBpf.INSTANCE::bpf_object__next_program, LibBpf.INSTANCE::bpf_program__name);
    }

    /** Unloads the programs and releases the maps, except what is pinned or still referenced (links, other fds). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibBpf.INSTANCE.bpf_object__close(object);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("eBPF object " + name + " is closed");
        }
    }

    private void ensureLoaded() {
        ensureOpen();
        if (!loaded) {
            throw new IllegalStateException("eBPF object " + name + " is not loaded: call load() first");
        }
    }

    private Pointer findMap(String mapName) {
        Pointer map = LibBpf.INSTANCE.bpf_object__find_map_by_name(object, mapName);
        if (map == null) {
            throw new IllegalArgumentException("no map '" + mapName + "' in " + name + " (it has " + mapNames() + ")");
        }
        return map;
    }

    /** A map as libbpf defines it, with descriptor {@code fd} (none before load). */
    private BpfMap describe(Pointer map, int fd) {
        LibBpf lib = LibBpf.INSTANCE;
        return new BpfMap(lib.bpf_map__name(map), MapType.of(lib.bpf_map__type(map)), lib.bpf_map__key_size(map),
                lib.bpf_map__value_size(map), lib.bpf_map__max_entries(map), lib.bpf_map__map_flags(map), fd, this);
    }

    private static String shape(BpfMap map) {
        return map.type() + ", key " + map.keySize() + " B, value " + map.valueSize() + " B, " + map.maxEntries()
                + " entries, flags " + map.flags();
    }

    private List<String> names(BiFunction<Pointer, Pointer, Pointer> next, Function<Pointer, String> nameOf) {
        List<String> names = new ArrayList<>();
        for (Pointer item = next.apply(object, null); item != null; item = next.apply(object, item)) {
            names.add(nameOf.apply(item));
        }
        return names;
    }
}
