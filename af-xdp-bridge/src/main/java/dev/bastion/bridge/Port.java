package dev.bastion.bridge;

import dev.bastion.bridge.xsk.XskSocket;

/** A protected container as the bridge sees it: its socket on the container's host-side veth. */
final class Port {
    final BridgeContainer container;
    final XskSocket socket;
    /** Frames put on the TX ring in this batch, not yet submitted. */
    int txPending;

    Port(BridgeContainer container, XskSocket socket) {
        this.container = container;
        this.socket = socket;
    }
}
