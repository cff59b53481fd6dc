package dev.bastion.datapath.enforce;

/** How a lab node is protected: its programs for container host-side veths and for the external interface. */
enum LabMode {
    XDP(Entry.HOST_XDP, Entry.EXTERNAL_XDP),
    TC(Entry.HOST_TC, Entry.EXTERNAL_TC);

    final Entry host;
    final Entry external;

    LabMode(Entry host, Entry external) {
        this.host = host;
        this.external = external;
    }
}
