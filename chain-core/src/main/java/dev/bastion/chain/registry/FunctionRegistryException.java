package dev.bastion.chain.registry;

/** The set of available functions could not be built (duplicate names, a broken plugin jar). */
public final class FunctionRegistryException extends Exception {
    public FunctionRegistryException(String message) {
        super(message);
    }

    public FunctionRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
