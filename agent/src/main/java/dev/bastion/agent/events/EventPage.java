package dev.bastion.agent.events;

import dev.bastion.agent.api.ApiRequest;
import dev.bastion.agent.api.ApiResponse;
import java.util.List;
import java.util.function.Predicate;

/**
 * One page of an {@link EventLog} as the API serves it. Without {@code after} a reader gets the newest
 * {@code limit} events; with {@code after=N} the events that followed N, so a follower passes back {@code lastSeq}.
 */
public record EventPage<T>(long lastSeq, long dropped, List<EventLog.Entry<T>> events) {
    private static final int MAX_LIMIT = 10_000;

    public static <T> ApiResponse serve(EventLog<T> log, ApiRequest request, Predicate<T> filter) {
        int limit = request.intParam("limit", 100, 1, MAX_LIMIT);
        long last = log.lastSeq();
        List<EventLog.Entry<T>> events = request.param("after").isPresent()
                ? log.after(request.intParam("after", 0, 0, Integer.MAX_VALUE), limit, filter)
                : log.latest(limit, filter);
        long lastSeq = events.isEmpty() ? last : events.get(events.size() - 1).seq();
        return ApiResponse.json(new EventPage<>(lastSeq, log.dropped(), events));
    }
}
