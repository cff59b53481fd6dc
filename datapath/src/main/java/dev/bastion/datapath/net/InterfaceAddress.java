package dev.bastion.datapath.net;

import java.net.Inet4Address;

/** An IPv4 address assigned to the interface with ifindex {@code index}, with its prefix length. */
public record InterfaceAddress(int index, Inet4Address address, int prefixLength) {
}
