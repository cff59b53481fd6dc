package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** Lists the IPv4 neighbour table of the calling thread's network namespace (what `ip -4 neigh show` prints). */
public final class NeighbourDump {
    static final int AF_INET = 2;
    /** struct ndmsg: u8 family, u8 pad, u16 pad, s32 ifindex, u16 state, u8 flags, u8 type. */
    static final int INFO_SIZE = 12;
    static final int INDEX_OFFSET = 4;
    static final int STATE_OFFSET = 8;
    static final int NDA_DST = 1;
    static final int NDA_FLAGS_EXT = 15;
    static final int NTF_EXT_MANAGED = 0x1;
    private static final int NDA_LLADDR = 2;

    private NeighbourDump() {
    }

    public static List<Neighbour> ipv4() {
        return Rtnetlink.dump(RouteQuery.dump(RouteQuery.RTM_GETNEIGH, AF_INET, INFO_SIZE), "listing IPv4 neighbours")
                .stream().flatMap(m -> neighbour(m).stream()).toList();
    }

    private static Optional<Neighbour> neighbour(ByteBuffer message) {
        int index = message.getInt(LinkMessage.HEADER_SIZE + INDEX_OFFSET);
        int state = Short.toUnsignedInt(message.getShort(LinkMessage.HEADER_SIZE + STATE_OFFSET));
        Attributes attributes = new Attributes(message, LinkMessage.HEADER_SIZE + INFO_SIZE);
        boolean managed = (attributes.int32(NDA_FLAGS_EXT).orElse(0) & NTF_EXT_MANAGED) != 0;
        return attributes.ipv4(NDA_DST)
                .map(a -> new Neighbour(index, a, attributes.mac(NDA_LLADDR), state, managed));
    }
}
