package dev.bastion.datapath.enforce;

/** The programs of bastion.o, where each one goes, and in which hook. */
public enum Entry {
    /** A protected container's host-side veth, native XDP. */
    HOST_XDP("bastion_xdp", Hook.XDP),
    /** A protected container's host-side veth, tcx ingress (redirects with bpf_redirect_peer). */
    HOST_TC("bastion_tc", Hook.TC_INGRESS),
    /**
     * A protected container's host-side veth, tcx egress, in both modes: drops what reaches the container through
     * the bridge unless it is the host's own traffic to a container that may talk to its gateway.
     */
    HOST_EGRESS_TC("bastion_egress", Hook.TC_EGRESS),
    /** The node's external interface, native XDP: admits only packets for this node's containers. */
    EXTERNAL_XDP("bastion_ext", Hook.XDP),
    /** The node's external interface, tcx ingress. */
    EXTERNAL_TC("bastion_ext_tc", Hook.TC_INGRESS),
    /** The container-side end of a veth in XDP mode: lets frames redirected into the veth arrive. */
    CONTAINER_PASS("container_pass", Hook.XDP),
    /**
     * The return interface of an inline IPS port (the peer of the veth the IPS writes accepted frames to), native
     * XDP: redirects every frame into the bridge's AF_XDP socket registered for it in {@code DpiPortMap}; a frame
     * on an unregistered interface or without a socket is dropped, never passed to the host.
     */
    DPI_RETURN("dpi_return", Hook.XDP);

    /** Where on an interface a program runs. */
    public enum Hook {
        /** Native (driver) XDP, never generic. */
        XDP,
        /** A tcx ingress link. */
        TC_INGRESS,
        /** A tcx egress link. */
        TC_EGRESS
    }

    private final String program;
    private final Hook hook;

    Entry(String program, Hook hook) {
        this.program = program;
        this.hook = hook;
    }

    public String program() {
        return program;
    }

    public Hook hook() {
        return hook;
    }
}
