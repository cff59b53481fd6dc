package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints pages of one of the agent's event logs ({@code /api/v1/flows}, {@code /api/v1/alerts}): the latest
 * events, then, when following, whatever comes after them until interrupted. A table row per event, or one JSON
 * object per line so scripts can consume a follow stream.
 */
final class EventStream {
    private static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(1);

    private final ApiClient client;
    private final String path;
    private final String query;
    private final PrintWriter out;

    EventStream(ApiClient client, String path, String query, PrintWriter out) {
        this.client = client;
        this.path = path;
        this.query = query;
        this.out = out;
    }

    /** The body of {@code flows} and {@code alerts}: validates the options, prints, and maps failures to exit codes. */
    static int run(CommandSpec spec, ApiOptions api, EventOptions events, String path, String query, String header,
            Function<JsonNode, String> row) throws InterruptedException {
        if (events.limit < 1) {
            spec.commandLine().getErr().println("error: --limit must be at least 1, got " + events.limit);
            return ExitCodes.INVALID_INPUT;
        }
        try {
            new EventStream(api.client(), path, query, spec.commandLine().getOut())
                    .print(events.limit, events.follow, api.json, header, row);
            return ExitCodes.OK;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** Prints the latest {@code limit} events, then follows if asked; returns when done or interrupted. */
    void print(int limit, boolean follow, boolean json, String header, Function<JsonNode, String> row)
            throws IOException, InterruptedException {
        if (!json) {
            out.println(header);
        }
        JsonNode page = client.get(path + "?limit=" + limit + query);
        long last = emit(page, json, row);
        while (follow && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(FOLLOW_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            last = emit(client.get(path + "?limit=10000&after=" + last + query), json, row);
        }
    }

    private long emit(JsonNode page, boolean json, Function<JsonNode, String> row) {
        for (JsonNode entry : page.path("events")) {
            out.println(json ? entry.toString() : row.apply(entry.path("event")));
        }
        out.flush();
        return page.path("lastSeq").asLong();
    }
}
