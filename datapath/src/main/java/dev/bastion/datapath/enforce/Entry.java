package dev.bastion.datapath.enforce;

/** The programs of bastion.o, where each one goes, and in which hook. */
public enum Entry {
    /** A protected container's host-side veth, native XDP. */
    HOST_XDP("bastion_xdp", true),
    /** A protected container's host-side veth, tcx ingress (redirects with bpf_redirect_peer). */
    HOST_TC("bastion_tc", false),
    /** The node's external interface, native XDP: admits only packets for this node's containers. */
    EXTERNAL_XDP("bastion_ext", true),
    /** The node's external interface, tcx ingress. */
    EXTERNAL_TC("bastion_ext_tc", false),
    /** The container-side end of a veth in XDP mode: lets frames redirected into the veth arrive. */
    CONTAINER_PASS("container_pass", true);

    private final String program;
    private final boolean xdp;

    Entry(String program, boolean xdp) {
        this.program = program;
        this.xdp = xdp;
    }

    public String program() {
        return program;
    }

    /** Native XDP (true) or tcx ingress (false). */
    public boolean xdp() {
        return xdp;
    }
}
