package dev.bastion.bridge;

/**
 * Where the datapath finds one of the bridge's registered sockets: frames arriving on interface {@code ifindex}
 * go to the socket under {@code slot} of {@code dpi_xsks}. Kept to unregister the socket when the bridge closes.
 */
record DpiSlot(int ifindex, int slot) {
}
