package dev.bastion.policies.source;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one read, so that a file is reported whole rather than one error per attempt. */
public final class Problems {
    private final List<Problem> found = new ArrayList<>();

    public void add(Problem problem) {
        found.add(problem);
    }

    public void add(YamlValue at, String message) {
        found.add(new Problem(at.file(), at.line(), at.path(), message));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(found);
    }

    /** Throws if anything was found; callers build nothing from a file with problems. */
    public void throwIfAny() throws InvalidSourceException {
        if (!found.isEmpty()) {
            throw new InvalidSourceException(found);
        }
    }
}
