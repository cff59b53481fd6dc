package dev.bastion.agent.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.FileBasedConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.builder.FileBasedConfigurationBuilder;
import org.apache.commons.configuration2.builder.fluent.Parameters;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * The agent's settings: defaults, then the configuration file (YAML or .properties, read with Apache Commons
 * Configuration), then BASTION_* environment variables, then command-line overrides. Every value is checked
 * when loaded, so a running agent never meets a bad one.
 */
public final class AgentConfig {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Map<Setting, String> values;

    private AgentConfig(Map<Setting, String> values) {
        this.values = values;
    }

    /** Loads {@code file} (may be empty for defaults only) with {@code environment} and {@code overrides} on top. */
    public static AgentConfig load(Optional<Path> file, Map<String, String> environment, Map<Setting, String> overrides)
            throws ConfigException {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            values.put(s, s.defaultValue());
        }
        if (file.isPresent()) {
            FileBasedConfiguration config = read(file.get());
            List<String> unknown = new ArrayList<>();
            for (Iterator<String> keys = config.getKeys(); keys.hasNext(); ) {
                String key = keys.next();
                Optional<Setting> setting = Setting.byKey(key);
                if (setting.isEmpty()) {
                    unknown.add(key);
                } else {
                    values.put(setting.get(), String.join(",", config.getStringArray(key)));
                }
            }
            if (!unknown.isEmpty()) {
                throw new ConfigException(file.get() + ": unknown setting(s) " + unknown
                        + "; the settings are listed in docs/agent.md");
            }
        }
        for (Setting s : Setting.values()) {
            String fromEnv = environment.get(s.environmentName());
            if (fromEnv != null) {
                values.put(s, fromEnv);
            }
        }
        values.putAll(overrides);
        AgentConfig config = new AgentConfig(values);
        config.check(file.map(Path::toString).orElse("(defaults)"));
        return config;
    }

    private static FileBasedConfiguration read(Path file) throws ConfigException {
        String name = file.getFileName().toString();
        Class<? extends FileBasedConfiguration> type = name.endsWith(".properties")
                ? PropertiesConfiguration.class : YAMLConfiguration.class;
        try {
            return new FileBasedConfigurationBuilder<FileBasedConfiguration>(type)
                    .configure(new Parameters().fileBased().setFile(file.toFile()).setListDelimiterHandler(null))
                    .getConfiguration();
        } catch (ConfigurationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigException(file + ": cannot read: " + cause.getMessage());
        }
    }

    private void check(String source) throws ConfigException {
        String collector = get(Setting.COLLECTOR);
        if (!List.of("static", "kubernetes", "docker").contains(collector)) {
            throw invalid(source, Setting.COLLECTOR, "expected static, kubernetes or docker");
        }
        if (!List.of("xdp", "tc").contains(get(Setting.DATAPATH_MODE))) {
            throw invalid(source, Setting.DATAPATH_MODE, "expected xdp or tc");
        }
        if (!List.of("directory", "kubernetes").contains(get(Setting.CHAINS_SOURCE))) {
            throw invalid(source, Setting.CHAINS_SOURCE, "expected directory or kubernetes");
        }
        if (!List.of("lab", "kubernetes").contains(get(Setting.DATAPATH_INTERFACES))) {
            throw invalid(source, Setting.DATAPATH_INTERFACES, "expected lab or kubernetes");
        }
        duration(source, Setting.POLL_INTERVAL);
        InetSocketAddress api = address(source, Setting.API_ADDRESS);
        if (!api.getAddress().isLoopbackAddress() && get(Setting.API_TOKEN_FILE).isEmpty()) {
            throw invalid(source, Setting.API_TOKEN_FILE,
                    "required because api.address " + get(Setting.API_ADDRESS) + " is not a loopback address");
        }
    }

    public String get(Setting setting) {
        return values.get(setting);
    }

    public Path path(Setting setting) {
        return Path.of(get(setting));
    }

    public Duration pollInterval() {
        return parseDuration(get(Setting.POLL_INTERVAL)).orElseThrow();
    }

    public InetSocketAddress apiAddress() {
        return parseAddress(get(Setting.API_ADDRESS)).orElseThrow();
    }

    public Optional<Path> apiTokenFile() {
        String f = get(Setting.API_TOKEN_FILE);
        return f.isEmpty() ? Optional.empty() : Optional.of(Path.of(f));
    }

    /** This node's name: the setting, or the host name. */
    public String node() {
        String node = get(Setting.NODE);
        if (!node.isEmpty()) {
            return node;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private void duration(String source, Setting s) throws ConfigException {
        if (parseDuration(get(s)).isEmpty()) {
            throw invalid(source, s, "expected a duration such as 500ms, 1s or 2m");
        }
    }

    private InetSocketAddress address(String source, Setting s) throws ConfigException {
        return parseAddress(get(s)).orElseThrow(() -> invalid(source, s, "expected host:port with a numeric IP"));
    }

    private ConfigException invalid(String source, Setting s, String why) {
        return new ConfigException(source + ": " + s.key() + " = '" + get(s) + "': " + why
                + " (environment: " + s.environmentName() + ")");
    }

    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        return d.isZero() ? Optional.empty() : Optional.of(d);
    }

    static Optional<InetSocketAddress> parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return Optional.empty(); // numeric only: no DNS lookup decides where the API listens
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) { // 0: any free port
                return Optional.empty();
            }
            return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (NumberFormatException | UnknownHostException e) {
            return Optional.empty();
        }
    }
}
