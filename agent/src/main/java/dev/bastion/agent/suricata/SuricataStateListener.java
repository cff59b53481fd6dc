package dev.bastion.agent.suricata;

/** Told of every state change of a supervised Suricata, on the supervisor's thread: must not block. */
@FunctionalInterface
public interface SuricataStateListener {
    void changed(SuricataState previous, SuricataState current);
}
