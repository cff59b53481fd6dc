package dev.bastion.datapath.net;

import java.net.Inet4Address;

/** Changes the neighbour table of the calling thread's network namespace over rtnetlink. */
public final class Neighbours {
    private Neighbours() {
    }

    /**
     * Hands the entry for {@code address} on interface {@code index} to the kernel to keep resolved (a "managed"
     * entry, Linux 5.16 and later): it is resolved at once in the background, then re-probed as long as it exists,
     * instead of aging out as entries learnt from traffic do. An existing entry becomes managed; its address stays.
     *
     * @throws NetlinkException when the kernel refuses, e.g. for an interface without ARP
     */
    public static void manage(int index, Inet4Address address) {
        RouteQuery request = RouteQuery.change(RouteQuery.RTM_NEWNEIGH,
                        RouteQuery.NLM_F_CREATE | RouteQuery.NLM_F_REPLACE, NeighbourDump.AF_INET,
                        NeighbourDump.INFO_SIZE)
                .header32(NeighbourDump.INDEX_OFFSET, index)
                .header16(NeighbourDump.STATE_OFFSET, 0) // NUD_NONE: the kernel resolves it
                .bytes(NeighbourDump.NDA_DST, address.getAddress())
                .u32(NeighbourDump.NDA_FLAGS_EXT, NeighbourDump.NTF_EXT_MANAGED);
        Rtnetlink.request(request::bytes, "managing neighbour " + address.getHostAddress() + " on interface " + index);
    }
}
