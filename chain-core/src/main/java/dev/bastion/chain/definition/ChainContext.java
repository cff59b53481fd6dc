package dev.bastion.chain.definition;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.Inventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The containers a chain applies to, as the source of their flows. Each selector given must hold: a
 * container is in the context if its set is one of {@code containerSets} (when given), its set belongs to
 * {@code microservice} (when given) and it carries every one of {@code labels}.
 */
public record ChainContext(List<String> containerSets, Optional<String> microservice, Map<String, String> labels) {

    public boolean includes(Container container, Inventory inventory) {
        return reasonExcluded(container, inventory).isEmpty();
    }

    /** Why {@code container} is not in this context, or empty if it is. */
    public Optional<String> reasonExcluded(Container container, Inventory inventory) {
        if (!containerSets.isEmpty() && !containerSets.contains(container.containerSet())) {
            return Optional.of("its container set " + container.containerSet() + " is not in context.containerSets "
                    + containerSets);
        }
        if (microservice.isPresent()) {
            Optional<String> own = inventory.containerSets().stream()
                    .filter(s -> s.name().equals(container.containerSet())).findFirst()
                    .flatMap(s -> s.microservice());
            if (!own.equals(microservice)) {
                return Optional.of("it belongs to microservice " + own.orElse("(none)") + ", not "
                        + microservice.get());
            }
        }
        for (var label : labels.entrySet()) {
            if (!label.getValue().equals(container.labels().get(label.getKey()))) {
                return Optional.of("it does not carry the label " + label.getKey() + "=" + label.getValue());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!containerSets.isEmpty()) {
            parts.add("containerSets " + containerSets);
        }
        microservice.ifPresent(m -> parts.add("microservice " + m));
        if (!labels.isEmpty()) {
            parts.add("labels " + labels);
        }
        return String.join(", ", parts);
    }
}
