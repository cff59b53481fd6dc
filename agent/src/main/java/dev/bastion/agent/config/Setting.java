package dev.bastion.agent.config;

import java.util.Locale;

/**
 * Every setting of the agent, with its default and meaning. This list is the documentation: docs/agent.md is
 * checked against it by a test. Each can be overridden by the environment variable {@link #environmentName()}.
 */
public enum Setting {
    NODE("node", "", "This node's name as the inventory knows it; empty means the host name."),
    COLLECTOR("collector", "static", "Where containers and policies come from: static, kubernetes or docker."),
    INVENTORY("inventory", "/etc/bastion/inventory.yaml", "The inventory file read by the static collector."),
    DOCKER_SOCKET("docker.socket", "/var/run/docker.sock", "The Docker Engine API socket read by the docker collector."),
    POLL_INTERVAL("poll-interval", "1s", "How often the collector is polled (a duration: 500ms, 1s, 2m)."),
    CHAINS("chains", "/etc/bastion/chains", "Directory of SecurityChain files; reloaded when it changes."),
    CHAINS_SOURCE("chain-source", "directory",
            "Where chains come from: directory (files in 'chains') or kubernetes (SecurityChain resources, written into 'chains')."),
    PLUGINS("plugins", "/usr/lib/bastion/plugins", "Directory of jars with additional security functions."),
    API_ADDRESS("api.address", "127.0.0.1:9447", "Address of the HTTP API and /metrics (host:port)."),
    API_TOKEN_FILE("api.token-file", "",
            "File holding the API's bearer token; required when api.address is not a loopback address."),
    DATAPATH_MODE("datapath.mode", "xdp", "Enforcement hook: xdp (native XDP on host-side veths) or tc."),
    DATAPATH_INTERFACES("datapath.interfaces", "lab",
            "How containers' veths are found: lab (the names 'bastion lab up' gives them) or kubernetes (by pod IP in the network namespaces CNI names under /run/netns; pods' MACs are read there)."),
    DATAPATH_EXTERNAL_INTERFACE("datapath.external-interface", "",
            "The node's interface towards the other nodes; when set, packets to their containers leave by it directly and it hands in only packets for this node's containers. Empty: a single node."),
    LAB_PREFIX("lab.prefix", "", "Namespace prefix of the lab the agent guards (tests use one to keep runs apart)."),
    DATAPATH_PIN_ROOT("datapath.pin-root", "/sys/fs/bpf/bastion", "Where programs and maps are pinned."),
    SURICATA_BINARY("suricata.binary", "/usr/bin/suricata", "The Suricata 7 executable run for external DPI."),
    SURICATA_RULES("suricata.rules", "/etc/bastion/rules",
            "Directory of the Suricata rule files that chains name in their suricata function's rules."),
    SURICATA_RUNTIME("suricata.runtime", "/run/bastion/suricata",
            "Where each chain's Suricata keeps its configuration, EVE socket, pid file and logs.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** BASTION_ followed by the key in upper case with '.' and '-' as '_': api.token-file is BASTION_API_TOKEN_FILE. */
    public String environmentName() {
        return "BASTION_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static java.util.Optional<Setting> byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
