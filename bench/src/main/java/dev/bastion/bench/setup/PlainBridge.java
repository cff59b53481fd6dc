package dev.bastion.bench.setup;

import dev.bastion.agent.lab.Lab;

/** The baseline: the lab as built, Docker's default bridge with nothing filtering. */
public final class PlainBridge implements NetworkSetup {
    @Override
    public String name() {
        return "bridge";
    }

    @Override
    public void apply(Lab lab) {
    }

    @Override
    public void remove(Lab lab) {
    }
}
