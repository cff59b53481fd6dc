package dev.bastion.agent.suricata;

/**
 * Receives what the EVE socket delivers. Called on the reader's event-loop thread, in the order Suricata
 * wrote the records: implementations must not block.
 */
public interface EveListener {

    void event(EveEvent event);

    /** A Suricata process connected to the socket (it does so while starting up). */
    default void connected() {
    }

    /** A connection ended: Suricata stopped or died. */
    default void disconnected() {
    }
}
