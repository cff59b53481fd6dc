package dev.bastion.agent.api;

/** A handler's answer: a JSON-serialisable body, or plain text (the metrics). */
public record ApiResponse(int status, Object json, String text) {

    public static ApiResponse json(Object body) {
        return new ApiResponse(200, body, null);
    }

    public static ApiResponse text(String body) {
        return new ApiResponse(200, null, body);
    }
}
