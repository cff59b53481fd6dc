package dev.bastion.chain.engine;

/** A monotonic nanosecond clock, injectable so that tests control time budgets. */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
