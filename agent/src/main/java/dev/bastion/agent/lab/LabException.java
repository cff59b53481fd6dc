package dev.bastion.agent.lab;

/** A lab operation failed: the message names the command and what the kernel or tool said. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }
}
