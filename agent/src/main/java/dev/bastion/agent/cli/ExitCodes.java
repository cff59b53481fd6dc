package dev.bastion.agent.cli;

/** Exit codes of the bastion CLI; scripts may rely on them. */
public final class ExitCodes {
    /** Done as asked. */
    public static final int OK = 0;
    /** The operation failed at run time (a command, the kernel); the message says what. */
    public static final int FAILED = 1;
    /** The input was rejected (bad file, bad arguments); nothing was changed. */
    public static final int INVALID_INPUT = 2;
    /** A status query found the thing not (fully) up. */
    public static final int NOT_UP = 3;

    private ExitCodes() {
    }
}
