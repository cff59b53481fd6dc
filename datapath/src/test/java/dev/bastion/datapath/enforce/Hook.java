package dev.bastion.datapath.enforce;

/** The two entry points of bastion.o with their hook's return codes. */
enum Hook {
    XDP("bastion_xdp", "bastion_ext", 1, 2, 3, 4),
    TC("bastion_tc", "bastion_ext_tc", 2, 0, 7, 7);

    final String program;
    /** The program for the node's external interface in this hook. */
    final String external;
    final int drop;
    final int pass;
    /** ARP replies: XDP_TX, or in tc a redirect back out of the ingress interface. */
    final int tx;
    final int redirect;

    Hook(String program, String external, int drop, int pass, int tx, int redirect) {
        this.program = program;
        this.external = external;
        this.drop = drop;
        this.pass = pass;
        this.tx = tx;
        this.redirect = redirect;
    }
}
