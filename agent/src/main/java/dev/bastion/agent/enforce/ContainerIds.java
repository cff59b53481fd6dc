package dev.bastion.agent.enforce;

import dev.bastion.datapath.maps.EndpointMap;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The datapath's small container ids (they index counters and AF_XDP sockets). A container keeps its id for as long
 * as it is protected, and across agent restarts: the ids found in the pinned endpoints are adopted first.
 */
final class ContainerIds {
    private final Map<String, Integer> byName = new HashMap<>();
    private final BitSet used = new BitSet(EndpointMap.MAX_CONTAINERS);

    ContainerIds() {
        used.set(0); // 0 counts frames no container owns
    }

    /** Takes over an id already in the kernel for this container. */
    void adopt(String container, int id) {
        if (!byName.containsKey(container) && !used.get(id)) {
            byName.put(container, id);
            used.set(id);
        }
    }

    int acquire(String container) {
        Integer known = byName.get(container);
        if (known != null) {
            return known;
        }
        int id = used.nextClearBit(1);
        if (id >= EndpointMap.MAX_CONTAINERS) {
            throw new IllegalStateException("no container id left for " + container + ": the datapath protects at most "
                    + (EndpointMap.MAX_CONTAINERS - 1) + " containers per node");
        }
        used.set(id);
        byName.put(container, id);
        return id;
    }

    void release(String container) {
        Integer id = byName.remove(container);
        if (id != null) {
            used.clear(id);
        }
    }
}
