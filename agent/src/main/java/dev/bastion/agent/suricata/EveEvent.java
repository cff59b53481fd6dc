package dev.bastion.agent.suricata;

import java.time.Instant;

/** One EVE JSON record of the event types the generated configuration enables. */
public sealed interface EveEvent permits EveAlert, EveDrop, EveFlow, EveStats {

    /** When Suricata saw the packet (alert, drop) or wrote the record (flow, stats). */
    Instant timestamp();
}
