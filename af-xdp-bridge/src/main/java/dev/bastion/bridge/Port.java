package dev.bastion.bridge;

import dev.bastion.bridge.xsk.XskSocket;

/**
 * One AF_XDP socket of the bridge and what it serves: a protected container's host-side veth, the node's
 * steering port (tc mode: steered frames of every container arrive there), the node's uplink (frames to and, in
 * XDP mode, from containers on other nodes), or one side of an external inspection port (out: frames leave for the
 * engine; back: frames return from it).
 */
final class Port {
    enum Role { CONTAINER, STEERING, UPLINK, EXTERNAL_OUT, EXTERNAL_BACK }

    final Role role;
    /** The container, for {@link Role#CONTAINER}; null otherwise. */
    final BridgeContainer container;
    /** The external port, for the two external roles; null otherwise. */
    final ExternalPort external;
    final XskSocket socket;
    /** Frames put on the TX ring in this batch, not yet submitted. */
    int txPending;

    private Port(Role role, BridgeContainer container, ExternalPort external, XskSocket socket) {
        this.role = role;
        this.container = container;
        this.external = external;
        this.socket = socket;
    }

    static Port of(BridgeContainer container, XskSocket socket) {
        return new Port(Role.CONTAINER, container, null, socket);
    }

    static Port steering(XskSocket socket) {
        return new Port(Role.STEERING, null, null, socket);
    }

    static Port uplink(XskSocket socket) {
        return new Port(Role.UPLINK, null, null, socket);
    }

    static Port out(ExternalPort external, XskSocket socket) {
        return new Port(Role.EXTERNAL_OUT, null, external, socket);
    }

    static Port back(ExternalPort external, XskSocket socket) {
        return new Port(Role.EXTERNAL_BACK, null, external, socket);
    }
}
