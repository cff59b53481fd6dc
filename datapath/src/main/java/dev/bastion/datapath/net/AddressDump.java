package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** Lists the IPv4 addresses of the calling thread's network namespace (what `ip -4 addr show` prints). */
public final class AddressDump {
    private static final int AF_INET = 2;
    /** struct ifaddrmsg: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index. */
    private static final int INFO_SIZE = 8;
    private static final int PREFIX_OFFSET = 1;
    private static final int INDEX_OFFSET = 4;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;

    private AddressDump() {
    }

    public static List<InterfaceAddress> ipv4() {
        return Rtnetlink.dump(RouteQuery.dump(RouteQuery.RTM_GETADDR, AF_INET, INFO_SIZE), "listing IPv4 addresses")
                .stream().flatMap(m -> address(m).stream()).toList();
    }

    private static Optional<InterfaceAddress> address(ByteBuffer message) {
        int index = message.getInt(LinkMessage.HEADER_SIZE + INDEX_OFFSET);
        int prefixLength = Byte.toUnsignedInt(message.get(LinkMessage.HEADER_SIZE + PREFIX_OFFSET));
        Attributes attributes = new Attributes(message, LinkMessage.HEADER_SIZE + INFO_SIZE);
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS differs from it only on point-to-point links.
        return attributes.ipv4(IFA_LOCAL).or(() -> attributes.ipv4(IFA_ADDRESS))
                .map(a -> new InterfaceAddress(index, a, prefixLength));
    }
}
