package dev.bastion.datapath.net;

import java.net.Inet4Address;
import java.util.OptionalLong;

/**
 * An IPv4 neighbour entry (what `ip -4 neigh show` prints one line of).
 *
 * @param index the ifindex of the interface it is reached through
 * @param mac its 48-bit hardware address, empty while it is unresolved
 * @param state the NUD_* bits of the entry
 * @param managed whether the kernel keeps it resolved on its own (NTF_EXT_MANAGED)
 */
public record Neighbour(int index, Inet4Address address, OptionalLong mac, int state, boolean managed) {
    /** NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE, NUD_NOARP, NUD_PERMANENT: the entry's address may be used. */
    private static final int NUD_VALID = 0x02 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80;

    /** True when the entry has a hardware address the kernel would send to. */
    public boolean resolved() {
        return (state & NUD_VALID) != 0 && mac.isPresent();
    }
}
