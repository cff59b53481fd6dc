package dev.bastion.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The CLI's side of the agent's HTTP API. The token comes from BASTION_API_TOKEN or a token file. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    ApiClient(String address, Optional<Path> tokenFile) throws IOException {
        this.base = "http://" + address;
        Optional<String> fromEnv = Optional.ofNullable(System.getenv("BASTION_API_TOKEN"));
        this.token = tokenFile.isPresent() ? Optional.of(Files.readString(tokenFile.get()).strip()) : fromEnv;
    }

    /** GETs {@code path}; a non-2xx answer is an {@link IOException} carrying the API's error message. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach the agent at " + base + " (is 'bastion agent' running?): " + e.getMessage(), e);
        }
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("agent answered " + response.statusCode() + ": " + body.path("error").asText(response.body()));
        }
        return body;
    }
}
