package dev.bastion.datapath.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The attributes (struct rtattr: u16 length, u16 type, value padded to 4 bytes) of a netlink message or of a
 * nested attribute, by type. A type repeated keeps its first value, which is all the readers here need.
 */
final class Attributes {
    /** The high bits of a type flag nesting and byte order; they are not part of the type. */
    private static final int TYPE_MASK = 0x3fff;
    private static final int HEADER_SIZE = 4;
    private static final int MAC_SIZE = 6;

    private final Map<Integer, ByteBuffer> values = new HashMap<>();

    /** The attributes of {@code bytes} from {@code offset} to its end. */
    Attributes(ByteBuffer bytes, int offset) {
        int position = offset;
        while (position + HEADER_SIZE <= bytes.limit()) {
            int length = Short.toUnsignedInt(bytes.getShort(position));
            int type = bytes.getShort(position + 2) & TYPE_MASK;
            if (length < HEADER_SIZE || position + length > bytes.limit()) {
                throw new IllegalStateException("malformed netlink attribute of type " + type);
            }
            values.putIfAbsent(type, bytes.slice(position + HEADER_SIZE, length - HEADER_SIZE)
                    .order(ByteOrder.nativeOrder()));
            position += length + 3 & ~3;
        }
    }

    Optional<ByteBuffer> bytes(int type) {
        return Optional.ofNullable(values.get(type));
    }

    /** A NUL-terminated string. */
    Optional<String> string(int type) {
        return bytes(type).map(value -> {
            int length = 0;
            while (length < value.limit() && value.get(length) != 0) {
                length++;
            }
            byte[] text = new byte[length];
            value.get(0, text);
            return new String(text, StandardCharsets.UTF_8);
        });
    }

    /** A 32-bit number in host order. */
    OptionalInt int32(int type) {
        ByteBuffer value = values.get(type);
        return value == null || value.limit() < 4 ? OptionalInt.empty() : OptionalInt.of(value.getInt(0));
    }

    /** A 48-bit hardware address; empty when absent or of another size. */
    OptionalLong mac(int type) {
        ByteBuffer value = values.get(type);
        if (value == null || value.limit() != MAC_SIZE) {
            return OptionalLong.empty();
        }
        long bits = 0;
        for (int i = 0; i < MAC_SIZE; i++) {
            bits = bits << 8 | value.get(i) & 0xff;
        }
        return OptionalLong.of(bits);
    }

    /** An IPv4 address in network order; empty when absent or of another size. */
    Optional<Inet4Address> ipv4(int type) {
        ByteBuffer value = values.get(type);
        if (value == null || value.limit() != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        value.get(0, bytes);
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }

    /** The attributes nested in attribute {@code type} (none if it is absent). */
    Attributes nested(int type) {
        return new Attributes(bytes(type).orElse(ByteBuffer.allocate(0)), 0);
    }
}
