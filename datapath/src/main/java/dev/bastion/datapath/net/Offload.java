package dev.bastion.datapath.net;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;


/**
 * Offload features of a network interface, read and switched like `ethtool -k/-K` does, through the
 * SIOCETHTOOL ioctl (legacy per-feature commands, which the kernel maps onto its feature flags). Works in the
 * calling thread's network namespace. XDP redirect needs a container's TX checksum offload off.
 */
public enum Offload {
    TX_CHECKSUM("tx-checksumming", 0x16, 0x17),
    TSO("tcp-segmentation-offload", 0x1e, 0x1f),
    GSO("generic-segmentation-offload", 0x23, 0x24),
    GRO("generic-receive-offload", 0x2b, 0x2c);

    private static final long SIOCETHTOOL = 0x8946;
    /** struct ethtool_value: u32 cmd, u32 data. */
    private static final int ETHTOOL_VALUE_SIZE = 8;

    private final String ethtoolName;
    private final int getCommand;
    private final int setCommand;

    Offload(String ethtoolName, int getCommand, int setCommand) {
        this.ethtoolName = ethtoolName;
        this.getCommand = getCommand;
        this.setCommand = setCommand;
    }

    /** The feature's name in `ethtool -k` output. */
    public String ethtoolName() {
        return ethtoolName;
    }

    public boolean enabled(String interfaceName) {
        return ethtool(interfaceName, getCommand, 0) != 0;
    }

    /**
     * Switches the feature, like `ethtool -K`; features that depend on it follow (TX checksum off turns TSO off).
     *
     * @throws IllegalStateException when the interface keeps the feature as it was (its driver fixes it)
     */
    public void set(String interfaceName, boolean on) {
        ethtool(interfaceName, setCommand, on ? 1 : 0);
        if (enabled(interfaceName) != on) {
            throw new IllegalStateException("could not turn " + ethtoolName + " " + (on ? "on" : "off") + " on "
                    + interfaceName + ": its driver does not allow it");
        }
    }

    private static int ethtool(String interfaceName, int command, int data) {
        Pointer value = Memory.allocateDirect(Libc.RUNTIME, ETHTOOL_VALUE_SIZE, true);
        value.putInt(0, command);
        value.putInt(4, data);
        InterfaceRequest.call(interfaceName, SIOCETHTOOL, "ethtool command " + command,
                ifreq -> ifreq.putPointer(InterfaceRequest.IFNAMSIZ, value));
        return value.getInt(4);
    }
}
