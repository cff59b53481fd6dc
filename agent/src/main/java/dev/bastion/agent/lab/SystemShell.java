package dev.bastion.agent.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Shell} over real processes. */
final class SystemShell implements Shell {
    private static final Logger log = LoggerFactory.getLogger(SystemShell.class);

    private record Result(int exit, String out, String err) {
    }

    @Override
    public String run(List<String> argv) {
        Result r = execute(argv);
        if (r.exit != 0) {
            throw new LabException("'" + String.join(" ", argv) + "' failed (exit " + r.exit + "): " + r.err.strip());
        }
        return r.out;
    }

    @Override
    public boolean succeeds(List<String> argv) {
        return execute(argv).exit == 0;
    }

    private static Result execute(List<String> argv) {
        log.debug("run: {}", String.join(" ", argv));
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            return new Result(p.waitFor(), out, err.join());
        } catch (IOException e) {
            throw new LabException("cannot run '" + argv.get(0) + "': " + e.getMessage() + " (run scripts/bootstrap)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running '" + String.join(" ", argv) + "'");
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
