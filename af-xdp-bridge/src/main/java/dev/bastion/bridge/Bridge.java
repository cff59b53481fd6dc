package dev.bastion.bridge;

import dev.bastion.bridge.xsk.SocketPoll;
import dev.bastion.bridge.xsk.Umem;
import dev.bastion.bridge.xsk.XskSocket;
import dev.bastion.bridge.xsk.XskStatistics;
import dev.bastion.datapath.bpf.BpfMap;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.maps.DpiPortMap;
import dev.bastion.datapath.maps.OverrideMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-space half of selective chaining: one AF_XDP socket per protected container with steered flows,
 * bound to the container's host-side veth (queue 0) and registered in the datapath's {@code xsks} map under the
 * container id, all on one UMEM; one thread that moves frames between them through the {@link FrameInspector}
 * (see {@link Forwarder}). Flows nobody steers never reach it. External inspection engines (Suricata) get two
 * sockets on the same UMEM, one to send frames to the engine and one to take back what it lets through
 * ({@link ExternalPort}). Chained flows with containers on other nodes use one more socket, on the node's uplink
 * ({@link #addUplink}), and a {@link RemoteRoute} per remote peer.
 *
 * <p>Ports are added and removed from any thread; the change takes effect on the bridge's thread, which is the
 * only one touching rings and UMEM, so a socket is unmapped only once the loop no longer uses it.
 */
public final class Bridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** Busy rounds without frames before the thread sleeps in poll(2). */
    private static final int SPIN_ROUNDS = 64;
    private static final int IDLE_POLL_MILLIS = 5;
    /** After a socket leaves {@code xsks}: long enough for redirects already under way to land in its ring. */
    private static final int REDIRECT_GRACE_MILLIS = 20;

    /**
     * UMEM size (frames x frame size), descriptors per ring, frames handled per batch, and how many frames each
     * fill ring is kept stocked with. Frames must cover every fill level plus the frames in TX rings.
     */
    public record Settings(int frames, int frameSize, int ringSize, int batch, int fillLevel) {
        public static final Settings DEFAULT = new Settings(16384, 4096, 2048, 64, 1024);

        public Settings {
            if (fillLevel > ringSize || batch > ringSize) {
                throw new IllegalArgumentException("fill level and batch must fit in a ring of " + ringSize);
            }
        }
    }

    private final Settings settings;
    private final Umem umem;
    private final BpfMap xsks;
    private final DpiPortMap dpiPorts;
    /** The steering port's interface and slot, once added. */
    private volatile DpiSlot steering;
    /** The uplink's interface and slot, once added. */
    private volatile DpiSlot uplink;
    private final BridgeCounters counters = new BridgeCounters();
    private final Forwarder forwarder;
    private final ConcurrentLinkedQueue<Runnable> changes = new ConcurrentLinkedQueue<>();
    private final List<Port> ports = new ArrayList<>();
    private final List<RemoteRoute> remotes = new ArrayList<>();
    private volatile Port[] active = new Port[0];
    private SocketPoll poll = new SocketPoll();
    private volatile boolean running;
    private volatile boolean closed;
    private Thread thread;

    public Bridge(Settings settings, BpfMap xsks, DpiPortMap dpiPorts, OverrideMap overrides,
                  FrameInspector inspector) {
        this.settings = settings;
        this.umem = new Umem(settings.frames(), settings.frameSize());
        this.xsks = xsks;
        this.dpiPorts = dpiPorts;
        this.forwarder = new Forwarder(umem, inspector, overrides, counters, settings.batch(), settings.fillLevel());
    }

    /** A bridge on a datapath's {@code xsks}, dpi port and {@code overrides} maps. */
    public static Bridge on(Datapath datapath, FrameInspector inspector, Settings settings) {
        return new Bridge(settings, datapath.map("xsks"), datapath.dpiPorts(), datapath.overrides(), inspector);
    }

    /**
     * Opens the container's socket and starts steering into it. Call it in the network namespace of the
     * host-side veths (the socket binds to the interface index there).
     */
    public void add(BridgeContainer container) {
        if (closed) {
            throw new IllegalStateException("bridge closed");
        }
        XskSocket socket = XskSocket.open(umem, container.hostIfindex(), 0, settings.ringSize());
        Port port = Port.of(container, socket);
        apply(() -> {
            ports.add(port);
            publish();
        });
        xsks.update(u32(container.id()), u32(socket.fd()));
        LOG.info("bridge port for {} (id {}, ifindex {})", container.name(), container.id(),
                container.hostIfindex());
    }

    /**
     * Stops steering into the container's socket, takes its frames back and closes it; false if it had none.
     * Its steered flows are then dropped by the datapath (no socket), never let through unchained.
     */
    public boolean remove(int containerId) {
        xsks.delete(u32(containerId));
        graceForRedirects();
        return apply(() -> {
            Optional<Port> port = ports.stream().filter(p -> p.role == Port.Role.CONTAINER
                    && p.container.id() == containerId).findFirst();
            port.ifPresent(p -> {
                ports.remove(p);
                publish();
                p.socket.reclaim();
                p.socket.close();
            });
            return port.isPresent();
        });
    }

    private static void graceForRedirects() {
        try {
            Thread.sleep(REDIRECT_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Opens the socket of the node's steering port (tc mode): the datapath redirects every container's steered
     * frames into interface {@code ifindex}'s peer, and {@code dpi_return} on {@code ifindex} hands them to this
     * socket under {@code slot}; a frame's source address tells whose it is. Containers still need {@link #add}
     * for the bridge to transmit to them. Call it in the network namespace of the interface.
     */
    public void addSteeringPort(int ifindex, int slot) {
        if (closed || steering != null) {
            throw new IllegalStateException(closed ? "bridge closed" : "the bridge has its steering port already");
        }
        steering = openRegistered(ifindex, slot, Port::steering);
        LOG.info("bridge steering port (ifindex {}, slot {})", ifindex, slot);
    }

    /**
     * Opens the socket on the node's uplink (external interface {@code ifindex}): frames for a container on another
     * node leave through it (see {@link #route}); in XDP mode the datapath's {@code bastion_ext} hands this socket,
     * under {@code slot} of {@code dpi_xsks}, the frames of chained flows coming back from other nodes (in tc mode
     * they come through the steering port). Call it in the network namespace of the interface.
     */
    public void addUplink(int ifindex, int slot) {
        if (closed || uplink != null) {
            throw new IllegalStateException(closed ? "bridge closed" : "the bridge has its uplink already");
        }
        uplink = openRegistered(ifindex, slot, Port::uplink);
        LOG.info("bridge uplink (ifindex {}, slot {})", ifindex, slot);
    }

    /**
     * Opens a socket on {@code ifindex} as the port {@code role} makes of it and registers it in the datapath's
     * dpi maps under {@code slot}.
     */
    private DpiSlot openRegistered(int ifindex, int slot, Function<XskSocket, Port> role) {
        XskSocket socket = XskSocket.open(umem, ifindex, 0, settings.ringSize());
        apply(() -> {
            ports.add(role.apply(socket));
            publish();
        });
        dpiPorts.register(ifindex, slot, socket.fd());
        return new DpiSlot(ifindex, slot);
    }

    /** The uplink's interface index, if the bridge has one. */
    public Optional<Integer> uplinkIfindex() {
        DpiSlot current = uplink;
        return current == null ? Optional.empty() : Optional.of(current.ifindex());
    }

    /** Sends frames whose chain lets them pass to {@code route.ip()} out of the uplink, replacing an earlier route. */
    public void route(RemoteRoute route) {
        apply(() -> {
            remotes.removeIf(r -> r.ip() == route.ip());
            remotes.add(route);
            publish();
        });
    }

    /** Forgets the route to {@code ip}: frames for it are dropped as {@code NO_ROUTE} from then on. */
    public void unroute(int ip) {
        apply(() -> {
            remotes.removeIf(r -> r.ip() == ip);
            publish();
        });
    }

    /**
     * Opens the sockets of an external inspection port: one on its out interface to send, one on its back
     * interface registered in the datapath's external port maps to receive (the interface must run the
     * datapath's {@code dpi_return} program). Call it in the network namespace of the interfaces.
     */
    public void addExternal(ExternalPort external) {
        if (closed) {
            throw new IllegalStateException("bridge closed");
        }
        XskSocket out = XskSocket.open(umem, external.outIfindex(), 0, settings.ringSize());
        XskSocket back;
        try {
            back = XskSocket.open(umem, external.backIfindex(), 0, settings.ringSize());
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        apply(() -> {
            ports.add(Port.out(external, out));
            ports.add(Port.back(external, back));
            publish();
        });
        dpiPorts.register(external.backIfindex(), external.slot(), back.fd());
        LOG.info("bridge external port {} (slot {}, out ifindex {}, back ifindex {})", external.name(),
                external.slot(), external.outIfindex(), external.backIfindex());
    }

    /**
     * Closes an external port's sockets; false if there was none of that name. Frames of chains detouring
     * through it are dropped from then on (no route), never forwarded uninspected.
     */
    public boolean removeExternal(String name) {
        Optional<ExternalPort> external = apply(() -> ports.stream().filter(p -> p.role == Port.Role.EXTERNAL_BACK
                && p.external.name().equals(name)).map(p -> p.external).findFirst());
        external.ifPresent(e -> {
            dpiPorts.unregister(e.backIfindex(), e.slot());
            graceForRedirects();
            apply(() -> {
                List<Port> gone = ports.stream().filter(p -> p.external == e).toList();
                ports.removeAll(gone);
                publish();
                gone.forEach(p -> {
                    p.socket.reclaim();
                    p.socket.close();
                });
                return null;
            });
        });
        return external.isPresent();
    }

    public BridgeCounters counters() {
        return counters;
    }

    /** The kernel's counters summed over the bridge's sockets: what was lost before Java saw it. */
    public XskStatistics kernelStatistics() {
        XskStatistics sum = XskStatistics.ZERO;
        for (Port port : active) {
            sum = sum.plus(port.socket.statistics());
        }
        return sum;
    }

    /** Starts the forwarding thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("bridge already started");
        }
        running = true;
        thread = new Thread(this::loop, "af-xdp-bridge");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        int idle = 0;
        while (running) {
            runChanges();
            long now = System.nanoTime();
            int received = 0;
            Port[] ports = active;
            for (Port port : ports) {
                received += forwarder.receive(port, now);
            }
            for (Port port : ports) {
                forwarder.recycle(port);
            }
            if (received > 0) {
                idle = 0;
            } else if (++idle > SPIN_ROUNDS) {
                poll.await(IDLE_POLL_MILLIS);
            }
        }
    }

    /** Runs a change on the bridge's thread, or here while no thread runs; waits for it. */
    private void apply(Runnable change) {
        apply(() -> {
            change.run();
            return null;
        });
    }

    /** Runs a change (or a look at the ports) on the bridge's thread, or here while no thread runs; returns its result. */
    private <T> T apply(Supplier<T> change) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (closed) {
            throw new IllegalStateException("bridge closed");
        }
        changes.add(() -> {
            try {
                done.complete(change.get());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        synchronized (this) {
            if (thread == null) {
                runChanges();
            }
        }
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while changing the bridge's ports", e);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private void runChanges() {
        Runnable change;
        while ((change = changes.poll()) != null) {
            change.run();
        }
    }

    private void publish() {
        active = ports.toArray(Port[]::new);
        forwarder.ports(active);
        forwarder.remotes(remotes.toArray(RemoteRoute[]::new));
        poll = new SocketPoll(Arrays.stream(active).map(p -> p.socket).toArray(XskSocket[]::new));
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /** Stops the thread, removes the sockets from {@code xsks}, closes them and unmaps the UMEM. */
    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            running = false;
            closed = true;
            stopping = thread;
        }
        if (stopping != null) {
            try {
                stopping.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Port port : ports) {
            switch (port.role) {
                case CONTAINER -> xsks.delete(u32(port.container.id()));
                case EXTERNAL_BACK -> dpiPorts.unregister(port.external.backIfindex(), port.external.slot());
                case STEERING -> dpiPorts.unregister(steering.ifindex(), steering.slot());
                case UPLINK -> dpiPorts.unregister(uplink.ifindex(), uplink.slot());
                case EXTERNAL_OUT -> { }
            }
            port.socket.close();
        }
        ports.clear();
        umem.close();
    }
}
