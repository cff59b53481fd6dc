package dev.bastion.datapath.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Per-interface IPv6 switch (/proc/sys/net/ipv6/conf/IF/disable_ipv6). /proc/sys/net shows the network namespace of
 * the thread that opens it, so this acts in the calling thread's namespace like the rest of this package.
 */
public final class Ipv6 {
    private static final Path CONF = Path.of("/proc/sys/net/ipv6/conf");

    private Ipv6() {
    }

    /**
     * Turns IPv6 off on {@code interfaceName}: no link-local address, so the kernel sends no router or neighbour
     * solicitations there. Call it before the interface goes up. Nothing to do on a kernel without IPv6.
     *
     * @throws IllegalArgumentException when there is no such interface in this namespace
     */
    public static void disable(String interfaceName) {
        Interfaces.nameBytes(interfaceName); // a checked name cannot walk out of CONF
        Path setting = CONF.resolve(interfaceName).resolve("disable_ipv6");
        if (!Files.isDirectory(CONF)) {
            return;
        }
        try {
            Files.writeString(setting, "1");
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no network interface '" + interfaceName
                    + "' in this network namespace (no " + setting + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot disable IPv6 on " + interfaceName + " (" + setting + ")", e);
        }
    }
}
