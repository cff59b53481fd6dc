package dev.bastion.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;
    private InetSocketAddress address;

    private void start(Optional<String> token) throws Exception {
        server = new ApiServer(token)
                .route("/api/v1/echo", r -> ApiResponse.json(Map.of("n", r.intParam("n", 1, 1, 10), "method", r.method())))
                .route("/metrics", r -> ApiResponse.text("x 1\n"));
        address = server.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesJsonAndText() throws Exception {
        start(Optional.empty());
        HttpResponse<String> r = send("GET", "/api/v1/echo?n=7", null);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertTrue(r.body().contains("\"n\" : 7"), r.body());
        HttpResponse<String> m = send("GET", "/metrics", null);
        assertEquals("x 1\n", m.body());
        assertTrue(m.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        start(Optional.empty());
        HttpResponse<String> bad = send("GET", "/api/v1/echo?n=99", null);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("'n' must be an integer in 1..10"), bad.body());
        HttpResponse<String> missing = send("GET", "/nothing", null);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("/api/v1/echo"), missing.body());
        assertEquals(405, send("DELETE", "/api/v1/echo", null).statusCode());
    }

    @Test
    void tokenIsRequiredWhenConfigured() throws Exception {
        start(Optional.of("s3cret"));
        HttpResponse<String> none = send("GET", "/api/v1/echo", null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("www-authenticate").orElseThrow());
        assertEquals(401, send("GET", "/api/v1/echo", "wrong").statusCode());
        assertEquals(401, send("GET", "/metrics", "s3cre").statusCode());
        assertEquals(200, send("GET", "/api/v1/echo", "s3cret").statusCode());
    }
}
