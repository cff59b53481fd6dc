package dev.bastion.functions.signature;

import dev.bastion.chain.spi.PacketView;

/** A packet's payload seen as ISO-8859-1 text (one char per byte) for regular expressions, without a copy. */
final class PayloadChars implements CharSequence {
    private PacketView packet;

    PayloadChars over(PacketView packet) {
        this.packet = packet;
        return this;
    }

    @Override
    public int length() {
        return packet.payloadLength();
    }

    @Override
    public char charAt(int index) {
        return (char) (packet.payloadByte(index) & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        StringBuilder s = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            s.append(charAt(i));
        }
        return s;
    }

    @Override
    public String toString() {
        return subSequence(0, length()).toString();
    }
}
