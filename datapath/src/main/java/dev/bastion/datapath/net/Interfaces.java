package dev.bastion.datapath.net;

import java.nio.charset.StandardCharsets;

/** Network interface names and indexes, in the calling thread's network namespace. */
public final class Interfaces {
    /** IF_NAMESIZE, with the terminating NUL. */
    private static final int NAME_SIZE = 16;
    private static final long SIOCGIFHWADDR = 0x8927;

    private Interfaces() {
    }

    /** True when this network namespace has an interface called {@code name}. */
    public static boolean exists(String name) {
        return Libc.INSTANCE.if_nametoindex(name) != 0;
    }

    /** @throws IllegalArgumentException when there is no such interface */
    public static int index(String name) {
        int index = Libc.INSTANCE.if_nametoindex(name);
        if (index == 0) {
            throw new IllegalArgumentException("no network interface '" + name + "' in this network namespace ("
                    + Libc.INSTANCE.strerror(Libc.errno()) + ")");
        }
        return index;
    }

    /** The interface's hardware address (the low 48 bits), as SIOCGIFHWADDR reports it. */
    public static long mac(String name) {
        // struct sockaddr in the ifreq union: u16 family, then the address bytes.
        var ifreq = InterfaceRequest.call(name, SIOCGIFHWADDR, "reading the MAC address", r -> { });
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (ifreq.getByte(InterfaceRequest.IFNAMSIZ + 2 + i) & 0xff);
        }
        return mac;
    }

    /**
     * The bytes of an interface name the kernel accepts (its dev_valid_name): 1 to 15 ASCII characters, not "." or
     * "..", without '/', ':' or whitespace. Checked before a syscall so the error names the bad name.
     */
    static byte[] nameBytes(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        boolean valid = !name.isEmpty() && bytes.length < NAME_SIZE && !name.equals(".") && !name.equals("..")
                && name.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != ':');
        if (!valid) {
            throw new IllegalArgumentException("not an interface name: '" + name + "' (1 to " + (NAME_SIZE - 1)
                    + " ASCII characters without '/', ':' or spaces)");
        }
        return bytes;
    }

    /** @throws IllegalArgumentException when no interface has this index */
    public static String name(int index) {
        byte[] name = new byte[NAME_SIZE];
        if (Libc.INSTANCE.if_indextoname(index, name) == null) {
            throw new IllegalArgumentException("no network interface with index " + index
                    + " in this network namespace (" + Libc.INSTANCE.strerror(Libc.errno()) + ")");
        }
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.US_ASCII);
    }
}
