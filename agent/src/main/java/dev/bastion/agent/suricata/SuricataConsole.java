package dev.bastion.agent.suricata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one output stream of a Suricata process into the agent's log, line by line at the line's own
 * level, and reports the line that says the engine started. Runs on its own thread until the stream ends.
 */
record SuricataConsole(String instance, InputStream stream, Runnable onEngineStarted) implements Runnable {
    private static final Logger log = LoggerFactory.getLogger("dev.bastion.agent.suricata.Suricata");

    static void follow(String instance, String name, InputStream stream, Runnable onEngineStarted) {
        Thread t = new Thread(new SuricataConsole(instance, stream, onEngineStarted), "suricata-" + instance + "-" + name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                SuricataLogLine parsed = SuricataLogLine.parse(line);
                parsed.logTo(log, instance);
                if (parsed.engineStarted()) {
                    onEngineStarted.run();
                }
            }
        } catch (IOException e) {
            log.debug("suricata {}: output closed: {}", instance, e.getMessage());
        }
    }
}
