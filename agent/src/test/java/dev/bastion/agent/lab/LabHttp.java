package dev.bastion.agent.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.policies.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A plain HTTP server in a lab container (python3 -m http.server) and curl from another, for chain tests. */
public final class LabHttp {
    private LabHttp() {
    }

    /** A site under {@code dir}/www for chain tests: "hello" at / and "secret" at /admin/; returns its root. */
    public static Path site(Path dir) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        Files.createDirectories(www.resolve("admin"));
        Files.writeString(www.resolve("admin/index.html"), "secret\n");
        return www;
    }

    /**
     * Writes a chain directory under {@code dir}/chains with one chain, {@code name}: http-filter refusing paths
     * under /admin on the flows of set {@code source} to set {@code destination} on {@code port} (e.g. tcp/8080).
     */
    public static Path adminDenyingChain(Path dir, String name, String source, String destination, String port)
            throws IOException {
        Path chains = Files.createDirectories(dir.resolve("chains"));
        Files.writeString(chains.resolve(name + ".yaml"), String.join("\n",
                "apiVersion: bastion.dev/v1",
                "kind: SecurityChain",
                "name: " + name,
                "context: {containerSets: [" + source + "]}",
                "flows: {containerSets: [" + destination + "], ports: [" + port + "]}",
                "functions:",
                "  - name: http-filter",
                "    config: {deny: [{pathPrefix: /admin}]}",
                ""));
        return chains;
    }

    /**
     * Serves {@code root} on {@code ip:port} in {@code container}, its log in {@code log}; returns once the node
     * gets an answer (the caller destroys the process).
     */
    public static Process serve(Lab lab, Container container, String ip, int port, Path root, Path log)
            throws Exception {
        Process server = new ProcessBuilder(lab.inContainer(container, List.of("/usr/bin/python3", "-m",
                "http.server", Integer.toString(port), "--bind", ip, "--directory", root.toString())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Shell.system().succeeds(lab.onNode(container.node(), List.of("curl", "-s", "-o", "/dev/null",
                "--max-time", "1", "http://" + ip + ":" + port + "/")))) {
            if (System.nanoTime() > deadline) {
                server.destroyForcibly();
                throw new AssertionError(container.name() + "'s server did not start");
            }
            Thread.sleep(100);
        }
        return server;
    }

    /** The body of a GET from a container, or "" when no answer came within {@code seconds}. */
    public static String get(Lab lab, Container from, String url, int seconds) throws Exception {
        Process curl = new ProcessBuilder(lab.inContainer(from, List.of("curl", "-s", "--max-time",
                Integer.toString(seconds), url))).redirectErrorStream(true).start();
        assertTrue(curl.waitFor(seconds + 10L, TimeUnit.SECONDS));
        String body = new String(curl.getInputStream().readAllBytes()).strip();
        return curl.exitValue() == 0 ? body : "";
    }
}
