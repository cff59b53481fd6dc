package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.util.Optional;

/**
 * {@code dpi_ports} (hash: return interface's ifindex -> slot) and {@code dpi_xsks} (XSKMAP: slot -> AF_XDP
 * socket): where {@code dpi_return} sends the frames an inline IPS hands back. The bridge owns the sockets; a
 * registration ties one return interface to one of them.
 */
public final class DpiPortMap {
    public static final String PORTS = "dpi_ports";
    public static final String SOCKETS = "dpi_xsks";
    /** MAX_DPI_PORTS of maps.h: slots are 0 to SLOTS - 1, and at most SLOTS interfaces are registered. */
    public static final int SLOTS = 64;

    private final BpfMap ports;
    private final BpfMap sockets;

    public DpiPortMap(BpfMap ports, BpfMap sockets) {
        this.ports = ports;
        this.sockets = sockets;
    }

    /**
     * Sends the frames arriving on {@code ifindex} to AF_XDP socket {@code xskFd}, under {@code slot}. The socket
     * must be bound to that same interface (queue 0: a veth has one): the kernel refuses a redirect into a socket
     * of another interface, and the frame drops. The socket is in place before the interface points at it.
     *
     * @throws dev.bastion.datapath.bpf.BpfException when {@code xskFd} is not an AF_XDP socket (nothing is written)
     */
    public void register(int ifindex, int slot, int xskFd) {
        byte[] portKey = ifindex(ifindex);
        byte[] slotKey = slot(slot);
        sockets.update(slotKey, Layout.u32(xskFd));
        ports.update(portKey, slotKey);
    }

    /** Undoes {@link #register}: the interface's frames drop again, then the socket leaves its slot. */
    public void unregister(int ifindex, int slot) {
        byte[] portKey = ifindex(ifindex);
        byte[] slotKey = slot(slot);
        ports.delete(portKey);
        sockets.delete(slotKey);
    }

    /** The slot registered for {@code ifindex}, if any. */
    public Optional<Integer> slotOf(int ifindex) {
        return ports.lookup(ifindex(ifindex)).map(value -> Layout.wrap(value).getInt());
    }

    static byte[] ifindex(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("not an interface index: " + ifindex);
        }
        return Layout.u32(ifindex);
    }

    static byte[] slot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("DPI slot " + slot + " out of range: the datapath has slots 0 to "
                    + (SLOTS - 1));
        }
        return Layout.u32(slot);
    }
}
