package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

/** {@code settings} (array of one struct settings): node-wide values of the datapath. */
public final class SettingsMap {
    public static final String NAME = "settings";
    private static final int SIZE = 8;

    /** Bastion's services as the paper's Table 2 prices them (services.h); the bits of settings.disabled. */
    public enum Service {
        /** The direct ARP handler, the gateway handler and container-aware isolation. */
        NETWORK_VISIBILITY(1),
        /** Source verification and end-to-end direct forwarding with its host egress guard. */
        TRAFFIC_VISIBILITY(2);

        private final int bit;

        Service(int bit) {
            this.bit = bit;
        }
    }

    private final BpfMap map;

    public SettingsMap(BpfMap map) {
        this.map = map;
    }

    /** tc mode: the per-node steering port that steered flows are redirected to (0: none, steered flows drop). */
    public void steeringPort(int ifindex) {
        write(ifindex, read().getInt(4));
    }

    /**
     * Runs the datapath without {@code services}: for measuring what each costs, never for protecting anything
     * (an empty set, the default, is the full stack).
     */
    public void disable(Set<Service> services) {
        int mask = 0;
        for (Service service : services) {
            mask |= service.bit;
        }
        write(read().getInt(0), mask);
    }

    /** The services switched off. */
    public Set<Service> disabled() {
        int mask = read().getInt(4);
        Set<Service> out = EnumSet.noneOf(Service.class);
        for (Service service : Service.values()) {
            if ((mask & service.bit) != 0) {
                out.add(service);
            }
        }
        return out;
    }

    private ByteBuffer read() {
        return Layout.wrap(map.lookup(Layout.u32(0)).orElseGet(() -> new byte[SIZE]));
    }

    private void write(int steeringIfindex, int disabled) {
        map.update(Layout.u32(0), Layout.allocate(SIZE).putInt(steeringIfindex).putInt(disabled).array());
    }
}
