package dev.bastion.agent.suricata;

/** Where a supervised Suricata is in its life. Only {@link #RUNNING} inspects traffic. */
public enum SuricataState {
    /** Not started yet, or stopped on request. */
    STOPPED,
    /** Launched; its engine has not reported started or its EVE connection has not arrived yet. */
    STARTING,
    /** Capturing, inspecting and copying packets, with EVE connected. */
    RUNNING,
    /** It exited or did not start in time; a new process is launched after a backoff. */
    RESTARTING,
    /** It cannot run as configured (rejected configuration, missing executable); nothing is retried. */
    FAILED
}
