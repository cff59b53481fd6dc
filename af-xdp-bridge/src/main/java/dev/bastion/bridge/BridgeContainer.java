package dev.bastion.bridge;

/**
 * A container whose flows the bridge may carry: its datapath id (the key of {@code xsks}), name (what chains
 * call it), host-side veth, IPv4 address (an int, 10.0.0.1 = 0x0A000001) and MAC (low 48 bits).
 */
public record BridgeContainer(int id, String name, int hostIfindex, int ip, long mac) {
}
