package dev.bastion.chain.compile;

import dev.bastion.chain.engine.ChainSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The engine's view of the steering entries: which chain a new flow of a container belongs to. */
public final class SteeringTable implements ChainSelector {
    private final Map<String, List<SteeringEntry>> byContainer;

    public SteeringTable(List<SteeringEntry> entries) {
        Map<String, List<SteeringEntry>> grouped = new HashMap<>();
        for (SteeringEntry entry : entries) {
            grouped.computeIfAbsent(entry.container(), k -> new ArrayList<>()).add(entry);
        }
        grouped.replaceAll((k, v) -> List.copyOf(v));
        this.byContainer = Map.copyOf(grouped);
    }

    @Override
    public String chainFor(String container, int peerIp, int protocol, int peerPort) {
        for (SteeringEntry entry : byContainer.getOrDefault(container, List.of())) {
            if (entry.matches(peerIp, protocol, peerPort)) {
                return entry.chain();
            }
        }
        return null;
    }
}
