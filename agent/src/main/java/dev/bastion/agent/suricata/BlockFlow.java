package dev.bastion.agent.suricata;

/** Which of Suricata's verdicts on a chain's flow make the datapath drop the rest of that flow in XDP. */
public enum BlockFlow {
    /** Suricata dropped a packet of the flow (a {@code drop} rule or an engine drop). */
    ON_DROP,
    /** Any alert on the flow, dropped or only reported. */
    ON_ALERT,
    /** Never: Suricata's drops stay per packet and the flow stays steered. */
    NEVER
}
