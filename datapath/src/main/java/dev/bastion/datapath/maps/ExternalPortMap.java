package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;

/**
 * {@code dpi_ports} and {@code dpi_xsks}: where {@code dpi_return} sends what comes back from an external
 * inspection engine. The back interface's ifindex names a slot, the slot holds the bridge's AF_XDP socket on it.
 */
public final class ExternalPortMap {
    public static final String PORTS = "dpi_ports";
    public static final String SOCKETS = "dpi_xsks";

    private final BpfMap ports;
    private final BpfMap sockets;

    public ExternalPortMap(BpfMap ports, BpfMap sockets) {
        this.ports = ports;
        this.sockets = sockets;
    }

    /** The socket first, so the interface never names an empty slot. */
    public void register(int backIfindex, int slot, int socketFd) {
        sockets.update(Layout.u32(slot), Layout.u32(socketFd));
        ports.update(Layout.u32(backIfindex), Layout.u32(slot));
    }

    public void unregister(int backIfindex, int slot) {
        ports.delete(Layout.u32(backIfindex));
        sockets.delete(Layout.u32(slot));
    }
}
