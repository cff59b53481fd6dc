package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;

/** {@code settings} (array of one struct settings): node-wide values of the datapath. */
public final class SettingsMap {
    public static final String NAME = "settings";

    private final BpfMap map;

    public SettingsMap(BpfMap map) {
        this.map = map;
    }

    /** tc mode: the per-node steering port that steered flows are redirected to (0: none, steered flows drop). */
    public void steeringPort(int ifindex) {
        map.update(Layout.u32(0), Layout.allocate(8).putInt(ifindex).putInt(0).array());
    }
}
