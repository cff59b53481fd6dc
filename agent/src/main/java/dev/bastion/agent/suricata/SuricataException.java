package dev.bastion.agent.suricata;

/** Suricata cannot run as configured: a rejected configuration or rule file, or a missing executable. */
public final class SuricataException extends Exception {
    public SuricataException(String message) {
        super(message);
    }
}
