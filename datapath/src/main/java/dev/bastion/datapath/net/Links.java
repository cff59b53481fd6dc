package dev.bastion.datapath.net;

/**
 * Creates, raises and deletes network interfaces over rtnetlink (what `ip link add/set/del` do), in the calling
 * thread's network namespace ({@link NetworkNamespace#call} runs code in another one). Names are checked before
 * any syscall; a refusal by the kernel is a {@link NetlinkException} naming the interface and the reason.
 */
public final class Links {
    private static final int ENODEV = 19;

    private Links() {
    }

    /**
     * Creates the veth pair {@code name}/{@code peerName}, both ends down.
     *
     * @throws NetlinkException e.g. "veth pair bdpa0/bdpb0: File exists" (errno EEXIST) when either name is taken
     */
    public static void createVethPair(String name, String peerName) {
        LinkMessage message = new LinkMessage(LinkMessage.RTM_NEWLINK, LinkMessage.NLM_F_CREATE | LinkMessage.NLM_F_EXCL)
                .name(name)
                .begin(LinkMessage.IFLA_LINKINFO)
                .string(LinkMessage.IFLA_INFO_KIND, "veth")
                .begin(LinkMessage.IFLA_INFO_DATA)
                .begin(LinkMessage.VETH_INFO_PEER).interfaceInfo(0, 0).name(peerName).end()
                .end()
                .end();
        Rtnetlink.request(message::bytes, "veth pair " + name + "/" + peerName);
    }

    /** Sets interface {@code name} administratively up (a veth is operationally up once both ends are). */
    public static void setUp(String name) {
        LinkMessage message = new LinkMessage(LinkMessage.RTM_NEWLINK, 0)
                .flags(LinkMessage.IFF_UP, LinkMessage.IFF_UP)
                .name(name);
        Rtnetlink.request(message::bytes, "setting " + name + " up");
    }

    /**
     * Deletes interface {@code name}; deleting one end of a veth pair deletes both.
     *
     * @return false when there was no such interface
     */
    public static boolean delete(String name) {
        try {
            Rtnetlink.request(new LinkMessage(LinkMessage.RTM_DELLINK, 0).name(name)::bytes, "deleting " + name);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == ENODEV) {
                return false;
            }
            throw e;
        }
    }
}
