package dev.bastion.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.agent.cli.BastionCommand;
import dev.bastion.agent.config.AgentConfig;
import dev.bastion.agent.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
    @TempDir
    Path dir;
    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private String status(InetSocketAddress api, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[2 + extra.length];
        args[0] = "status";
        args[1] = "--api=127.0.0.1:" + api.getPort();
        System.arraycopy(extra, 0, args, 2, extra.length);
        int code = BastionCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return code + "\n" + out + err;
    }

    @Test
    void followsTheInventoryAndKeepsTheLastGoodOne() throws Exception {
        Path inventory = dir.resolve("inventory.yaml");
        Files.copy(Path.of("../examples/topologies/kill-chain.yaml"), inventory);
        AgentConfig config = AgentConfig.load(Optional.empty(), Map.of(),
                Map.of(Setting.API_ADDRESS, "127.0.0.1:0", Setting.POLL_INTERVAL, "1h", Setting.NODE, "node1"));
        agent = new Agent(config, new InventoryFileSource(inventory));
        InetSocketAddress api = agent.start();
        agent.pollOnce();
        String first = status(api);
        assertTrue(first.startsWith("0\n"), first);
        assertTrue(first.contains("inventory kill-chain, 5 containers"), first);
        assertTrue(first.contains("nginx-user           172.17.0.2"), first);

        Files.writeString(inventory, Files.readString(inventory).replace("ip: 172.17.0.5", "ip: 10.0.0.5"));
        Files.setLastModifiedTime(inventory, FileTime.from(Instant.now().plusSeconds(5)));
        agent.pollOnce();
        String second = status(api, "--json");
        assertTrue(second.contains("\"containers\" : 5"), "the old inventory stays in force: " + second);
        assertTrue(second.contains("inventory.yaml:24: containers[3].ip: 10.0.0.5 is outside the subnet"), second);
    }

    @Test
    void statusFailsWhenNoAgentListens() {
        String out = status(new InetSocketAddress("127.0.0.1", 1));
        assertTrue(out.startsWith("1\n"), out);
        assertTrue(out.contains("cannot reach the agent"), out);
    }
}
