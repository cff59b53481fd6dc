package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Lists the network interfaces of the calling thread's network namespace (what `ip link show` prints). */
public final class LinkDump {
    /** struct ifinfomsg: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change. */
    private static final int INFO_SIZE = 16;
    private static final int INDEX_OFFSET = 4;
    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_LINK = 5;
    private static final int IFLA_LINKINFO = 18;
    private static final int IFLA_INFO_KIND = 1;
    private static final int IFLA_LINK_NETNSID = 37;

    private LinkDump() {
    }

    public static List<Link> all() {
        return Rtnetlink.dump(RouteQuery.dump(RouteQuery.RTM_GETLINK, 0, INFO_SIZE), "listing network interfaces")
                .stream().map(LinkDump::link).toList();
    }

    private static Link link(ByteBuffer message) {
        int index = message.getInt(LinkMessage.HEADER_SIZE + INDEX_OFFSET);
        Attributes attributes = new Attributes(message, LinkMessage.HEADER_SIZE + INFO_SIZE);
        String name = attributes.string(IFLA_IFNAME).orElseThrow(
                () -> new IllegalStateException("network interface " + index + " listed without a name"));
        OptionalLong mac = attributes.mac(IFLA_ADDRESS);
        // IFLA_LINK names the interface itself on physical ones: it only means a peer when it is another one.
        OptionalInt peerIndex = attributes.int32(IFLA_LINK);
        OptionalInt peerNamespace = attributes.int32(IFLA_LINK_NETNSID);
        if (peerIndex.isPresent() && peerIndex.getAsInt() == index && peerNamespace.isEmpty()) {
            peerIndex = OptionalInt.empty();
        }
        return new Link(index, name, mac, attributes.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND), peerIndex,
                peerNamespace);
    }
}
