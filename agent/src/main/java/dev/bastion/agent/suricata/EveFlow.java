package dev.bastion.agent.suricata;

import java.time.Instant;

/**
 * A flow Suricata stopped tracking (timeout, shutdown or memory pressure), with its counters per direction.
 *
 * @param appProto the application protocol detected, or "" when none was
 * @param reason   why the record was written: timeout, forced or shutdown
 */
public record EveFlow(Instant timestamp, long flowId, EveTuple tuple, String appProto, long packetsToServer,
                      long packetsToClient, long bytesToServer, long bytesToClient, Instant start, Instant end,
                      String state, String reason, boolean alerted) implements EveEvent {
}
