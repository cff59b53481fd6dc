package dev.bastion.chain.engine;

import dev.bastion.chain.spi.Alert;

/** Receives alerts on the engine's thread; must be quick (hand off to a queue if it does I/O). */
@FunctionalInterface
public interface AlertSink {
    AlertSink DISCARD = alert -> { };

    void publish(Alert alert);
}
