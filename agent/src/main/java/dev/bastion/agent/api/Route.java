package dev.bastion.agent.api;

/** Answers requests for one path. Handlers run on the API's event loop: they must not block for long. */
@FunctionalInterface
public interface Route {
    ApiResponse handle(ApiRequest request);
}
