package dev.bastion.datapath.maps;

import dev.bastion.datapath.bpf.BpfMap;
import java.util.Optional;

/**
 * {@code overrides} (LRU): 5-tuple -> what the datapath does with the rest of a flow, as a chain decided. Both
 * directions of the flow are written, so replies follow the same decision.
 */
public final class OverrideMap {
    public static final String NAME = "overrides";

    public enum Action {
        /** Drop the rest of the flow in the kernel. */
        BLOCK,
        /** Stop steering the flow: it stays in the kernel. */
        BYPASS;

        int code() {
            return ordinal() + 1;
        }
    }

    private final BpfMap map;

    public OverrideMap(BpfMap map) {
        this.map = map;
    }

    public void set(FlowKey flow, Action action) {
        map.update(flow.encode(), Layout.u32(action.code()));
        map.update(flow.reversed().encode(), Layout.u32(action.code()));
    }

    public Optional<Action> get(FlowKey flow) {
        return map.lookup(flow.encode()).map(value -> Action.values()[Layout.wrap(value).getInt() - 1]);
    }

    public void clear(FlowKey flow) {
        map.delete(flow.encode());
        map.delete(flow.reversed().encode());
    }
}
