package dev.bastion.agent.config;

/** The agent's configuration was rejected; the message names the file (or variable) and the setting. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
