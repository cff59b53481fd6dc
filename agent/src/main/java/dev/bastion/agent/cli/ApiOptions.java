package dev.bastion.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that talks to a running agent shares: where its API is and how to authenticate. */
final class ApiOptions {
    @Option(names = "--api", paramLabel = "HOST:PORT", defaultValue = "${env:BASTION_API_ADDRESS:-127.0.0.1:9447}",
            description = "The agent's API address (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token file (or set BASTION_API_TOKEN).")
    Path tokenFile;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    ApiClient client() throws IOException {
        return new ApiClient(api, Optional.ofNullable(tokenFile));
    }
}
