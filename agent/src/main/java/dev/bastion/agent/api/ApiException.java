package dev.bastion.agent.api;

/** Ends a request with an HTTP status and a message that is returned as {"error": message}. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
