package dev.bastion.datapath.enforce;

import dev.bastion.datapath.bpf.BpfLink;
import dev.bastion.datapath.bpf.BpfMap;
import dev.bastion.datapath.bpf.BpfObject;
import dev.bastion.datapath.bpf.BpfProgram;
import dev.bastion.datapath.maps.CounterMap;
import dev.bastion.datapath.maps.DpiPortMap;
import dev.bastion.datapath.maps.EndpointMap;
import dev.bastion.datapath.maps.ForwardingMap;
import dev.bastion.datapath.maps.GatewayMap;
import dev.bastion.datapath.maps.OverrideMap;
import dev.bastion.datapath.maps.PeerPolicyMap;
import dev.bastion.datapath.maps.ServiceMap;
import dev.bastion.datapath.maps.SettingsMap;
import dev.bastion.datapath.maps.SteeringMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bastion's datapath on one node: bastion.o loaded once, its maps pinned under
 * {@code /sys/fs/bpf/bastion/<instance>/} and its programs attached through links pinned under {@code links/}.
 * Opening an instance that already has pins adopts them: the maps keep their entries and attached programs are
 * replaced atomically, so enforcement never lapses across an agent restart or a program upgrade. Closing leaves
 * everything pinned and attached; {@link #remove()} takes it all down.
 */
public final class Datapath implements AutoCloseable {
    public static final Path BPFFS_ROOT = Path.of("/sys/fs/bpf/bastion");
    static final String OBJECT = "bpf/bastion.o";
    private static final Logger LOG = LoggerFactory.getLogger(Datapath.class);

    private final BpfObject object;
    private final Path pins;

    private Datapath(BpfObject object, Path pins) {
        this.object = object;
        this.pins = pins;
    }

    /** Opens instance {@code instance} under /sys/fs/bpf/bastion. */
    public static Datapath open(String instance) {
        return open(BPFFS_ROOT.resolve(instance));
    }

    /** Loads bastion.o with the maps pinned in {@code pins}, creating and pinning the missing ones. */
    public static Datapath open(Path pins) {
        BpfObject object = BpfObject.openResource(OBJECT);
        try {
            int adopted = 0;
            for (String name : object.mapNames()) {
                if (object.reuseMap(name, pins.resolve(name))) {
                    adopted++;
                }
            }
            object.load();
            for (String name : object.mapNames()) {
                Path pin = pins.resolve(name);
                if (!Files.exists(pin)) {
                    object.map(name).pin(pin);
                }
            }
            LOG.info("datapath loaded at {}: {} of {} maps adopted from pins", pins, adopted,
                    object.mapNames().size());
            return new Datapath(object, pins);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /**
     * Attaches {@code entry} to interface {@code ifindex} (of this thread's network namespace) and pins the link as
     * {@code links/<linkName>}. A link already pinned under that name gets the new program atomically instead.
     * Native XDP only: an interface without native XDP fails, it never falls back to generic XDP.
     */
    public void attach(Entry entry, int ifindex, String linkName) {
        BpfProgram program = object.program(entry.program());
        Path pin = linkPin(linkName);
        if (Files.exists(pin)) {
            try (BpfLink link = BpfLink.openPinned(pin)) {
                link.update(program);
            }
            LOG.info("link {}: program replaced by {}", linkName, entry.program());
            return;
        }
        try (BpfLink link = switch (entry.hook()) {
            case XDP -> BpfLink.attachXdp(program, ifindex);
            case TC_INGRESS -> BpfLink.attachTcIngress(program, ifindex);
            case TC_EGRESS -> BpfLink.attachTcEgress(program, ifindex);
        }) {
            link.pin(pin);
        }
        LOG.info("link {}: {} attached to ifindex {}", linkName, entry.program(), ifindex);
    }

    /** Detaches the program of link {@code linkName}; false when there is no such link. */
    public boolean detach(String linkName) {
        Path pin = linkPin(linkName);
        if (!Files.exists(pin)) {
            return false;
        }
        try (BpfLink link = BpfLink.openPinned(pin)) {
            link.detach();
        }
        delete(pin);
        LOG.info("link {}: detached", linkName);
        return true;
    }

    /** The names of the links pinned by this instance. */
    public List<String> links() {
        Path links = pins.resolve("links");
        if (!Files.isDirectory(links)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(links)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the links pinned in " + links, e);
        }
    }

    public EndpointMap endpoints() {
        return new EndpointMap(map(EndpointMap.NAME));
    }

    public ForwardingMap forwarding() {
        return new ForwardingMap(map(ForwardingMap.NAME));
    }

    public PeerPolicyMap peers() {
        return new PeerPolicyMap(map(PeerPolicyMap.NAME));
    }

    public GatewayMap gateways() {
        return new GatewayMap(map(GatewayMap.NAME));
    }

    public ServiceMap services() {
        return new ServiceMap(map(ServiceMap.NAME));
    }

    public SteeringMap steering() {
        return new SteeringMap(map(SteeringMap.NAME));
    }

    public OverrideMap overrides() {
        return new OverrideMap(map(OverrideMap.NAME));
    }

    public CounterMap counters() {
        return new CounterMap(map(CounterMap.NAME));
    }

    public SettingsMap settings() {
        return new SettingsMap(map(SettingsMap.NAME));
    }

    public DpiPortMap dpiPorts() {
        return new DpiPortMap(map(DpiPortMap.PORTS), map(DpiPortMap.SOCKETS));
    }

    /** A map of bastion.o by its name in maps.h (e.g. {@code xsks} for the AF_XDP bridge, {@code flow_events}). */
    public BpfMap map(String name) {
        return object.map(name);
    }

    public BpfProgram program(Entry entry) {
        return object.program(entry.program());
    }

    public Path pins() {
        return pins;
    }

    /** Detaches every link of this instance and removes all its pins. */
    public void remove() {
        links().forEach(this::detach);
        if (!Files.exists(pins)) {
            return;
        }
        try (Stream<Path> all = Files.walk(pins)) {
            all.sorted(Comparator.reverseOrder()).forEach(Datapath::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pins under " + pins, e);
        }
    }

    @Override
    public void close() {
        object.close();
    }

    private Path linkPin(String linkName) {
        if (linkName.isEmpty() || linkName.contains("/")) {
            throw new IllegalArgumentException("bad link name '" + linkName + "': one path segment expected");
        }
        return pins.resolve("links").resolve(linkName);
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove pin " + path, e);
        }
    }
}
