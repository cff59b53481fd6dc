package dev.bastion.agent.lab;

import java.util.Map;

/** What of a lab exists now: each namespace the file calls for, present or not. */
public record LabStatus(String lab, Map<String, Boolean> namespaces) {

    public enum State { UP, PARTIAL, DOWN }

    public State state() {
        long present = namespaces.values().stream().filter(b -> b).count();
        if (present == 0) {
            return State.DOWN;
        }
        return present == namespaces.size() ? State.UP : State.PARTIAL;
    }
}
