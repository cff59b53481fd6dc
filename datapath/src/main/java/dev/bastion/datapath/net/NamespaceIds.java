package dev.bastion.datapath.net;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The id the calling thread's network namespace gives another namespace (what `ip netns list` shows as "id"): the
 * number its links name a peer's namespace by (IFLA_LINK_NETNSID). The kernel assigns one when a link first ties
 * the two, e.g. a veth with its peer there.
 */
public final class NamespaceIds {
    /** struct rtgenmsg: u8 family, padded to 4 bytes. */
    private static final int INFO_SIZE = 4;
    private static final int NETNSA_NSID = 1;
    private static final int NETNSA_FD = 3;

    private NamespaceIds() {
    }

    /**
     * The id of the namespace of the file {@code namespace} (e.g. /run/netns/NAME), empty when it has none here.
     *
     * @throws IllegalArgumentException when the file cannot be opened
     */
    public static OptionalInt of(Path namespace) {
        int fd = NetworkNamespace.open(namespace);
        try {
            ByteBuffer answer = Rtnetlink.ask(RouteQuery.one(RouteQuery.RTM_GETNSID, INFO_SIZE).u32(NETNSA_FD, fd),
                    "reading the id of network namespace " + namespace);
            int id = new Attributes(answer, LinkMessage.HEADER_SIZE + INFO_SIZE).int32(NETNSA_NSID).orElse(-1);
            return id < 0 ? OptionalInt.empty() : OptionalInt.of(id); // NETNSA_NSID_NOT_ASSIGNED is -1
        } finally {
            Libc.INSTANCE.close(fd);
        }
    }
}
