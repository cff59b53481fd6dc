package dev.bastion.bridge;

/**
 * Where an external inspection engine (Suricata inline) sits on the bridge: frames whose chain detours through
 * {@code name} are transmitted on interface {@code outIfindex}, the engine copies the ones it accepts to the
 * peer of {@code backIfindex}, and they come back there (the datapath's {@code dpi_return} program hands them
 * to the bridge through slot {@code slot} of {@code dpi_xsks}) to go on to their destination.
 */
public record ExternalPort(String name, int slot, int outIfindex, int backIfindex) {
    public ExternalPort {
        if (outIfindex == backIfindex) {
            throw new IllegalArgumentException("external port " + name + ": out and back must be different interfaces");
        }
    }
}
