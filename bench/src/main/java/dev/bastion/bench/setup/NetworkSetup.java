package dev.bastion.bench.setup;

import dev.bastion.agent.lab.Lab;

/** One way of securing (or not) the lab's network, applied before a measurement and removed after it. */
public interface NetworkSetup {

    /** Short label used in tables and plots. */
    String name();

    void apply(Lab lab);

    void remove(Lab lab);
}
