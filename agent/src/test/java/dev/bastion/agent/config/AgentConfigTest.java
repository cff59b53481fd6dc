package dev.bastion.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreSafe() throws Exception {
        AgentConfig c = AgentConfig.load(Optional.empty(), Map.of(), Map.of());
        assertTrue(c.apiAddress().getAddress().isLoopbackAddress());
        assertEquals(Duration.ofSeconds(1), c.pollInterval());
        assertEquals("xdp", c.get(Setting.DATAPATH_MODE));
        assertEquals(Path.of("/etc/bastion/rules"), c.path(Setting.SURICATA_RULES));
    }

    @Test
    void yamlFileThenEnvironmentThenCommandLine() throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, """
                node: n7
                poll-interval: 250ms
                datapath:
                  mode: tc
                api:
                  address: 127.0.0.1:9999
                """);
        AgentConfig c = AgentConfig.load(Optional.of(file), Map.of("BASTION_NODE", "from-env", "BASTION_DATAPATH_MODE", "xdp"),
                Map.of(Setting.NODE, "from-cli"));
        assertEquals("from-cli", c.node());
        assertEquals("xdp", c.get(Setting.DATAPATH_MODE));
        assertEquals(Duration.ofMillis(250), c.pollInterval());
        assertEquals(9999, c.apiAddress().getPort());
    }

    @Test
    void propertiesFile() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "collector=docker\nsuricata.rules=/srv/rules\n");
        AgentConfig c = AgentConfig.load(Optional.of(file), Map.of(), Map.of());
        assertEquals("docker", c.get(Setting.COLLECTOR));
        assertEquals(Path.of("/srv/rules"), c.path(Setting.SURICATA_RULES));
    }

    @Test
    void unknownSettingIsNamedWithItsFile() throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, "api:\n  adress: 127.0.0.1:1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.load(Optional.of(file), Map.of(), Map.of()));
        assertTrue(e.getMessage().startsWith(file + ": unknown setting(s) [api.adress]"), e.getMessage());
    }

    @Test
    void badValuesNameTheSettingAndItsVariable() {
        ConfigException mode = assertThrows(ConfigException.class,
                () -> AgentConfig.load(Optional.empty(), Map.of("BASTION_DATAPATH_MODE", "skb"), Map.of()));
        assertTrue(mode.getMessage().contains("datapath.mode = 'skb': expected xdp or tc (environment: BASTION_DATAPATH_MODE)"),
                mode.getMessage());
        ConfigException interval = assertThrows(ConfigException.class,
                () -> AgentConfig.load(Optional.empty(), Map.of(), Map.of(Setting.POLL_INTERVAL, "soon")));
        assertTrue(interval.getMessage().contains("poll-interval"), interval.getMessage());
        ConfigException address = assertThrows(ConfigException.class,
                () -> AgentConfig.load(Optional.empty(), Map.of(), Map.of(Setting.API_ADDRESS, "example:80")));
        assertTrue(address.getMessage().contains("api.address"), address.getMessage());
    }

    @Test
    void exposedApiNeedsAToken() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfig.load(Optional.empty(), Map.of("BASTION_API_ADDRESS", "0.0.0.0:9447"), Map.of()));
        assertTrue(e.getMessage().contains("api.token-file"), e.getMessage());
        AgentConfig ok = AgentConfig.load(Optional.empty(),
                Map.of("BASTION_API_ADDRESS", "0.0.0.0:9447", "BASTION_API_TOKEN_FILE", "/etc/bastion/token"), Map.of());
        assertEquals(Optional.of(Path.of("/etc/bastion/token")), ok.apiTokenFile());
    }

    @Test
    void everySettingIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("../docs/agent.md"));
        for (Setting s : Setting.values()) {
            String row = "| `" + s.key() + "` | `" + s.environmentName() + "` | "
                    + (s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`") + " | " + s.description() + " |";
            assertTrue(doc.contains(row), "docs/agent.md lacks or misstates: " + row);
        }
    }

    @Test
    void theDaemonSetsConfigurationIsValid() throws Exception {
        String configMap = null;
        for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(Files.readString(Path.of("../examples/kubernetes/daemonset.yaml")))) {
            if (doc instanceof Map<?, ?> m && "ConfigMap".equals(m.get("kind"))) {
                configMap = (String) ((Map<?, ?>) m.get("data")).get("agent.yaml");
            }
        }
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, configMap);
        AgentConfig c = AgentConfig.load(Optional.of(file), Map.of(), Map.of());
        assertEquals("kubernetes", c.get(Setting.COLLECTOR));
        assertEquals("kubernetes", c.get(Setting.CHAINS_SOURCE));
        assertEquals("/run/bastion/chains", c.get(Setting.CHAINS));
    }
}
