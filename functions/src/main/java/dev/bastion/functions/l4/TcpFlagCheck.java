package dev.bastion.functions.l4;

import static dev.bastion.chain.spi.PacketView.TCP_ACK;
import static dev.bastion.chain.spi.PacketView.TCP_FIN;
import static dev.bastion.chain.spi.PacketView.TCP_PSH;
import static dev.bastion.chain.spi.PacketView.TCP_RST;
import static dev.bastion.chain.spi.PacketView.TCP_SYN;
import static dev.bastion.chain.spi.PacketView.TCP_URG;

/**
 * TCP flag combinations no real stack sends, used by scanners (null, FIN, Xmas scans) and to slip past
 * filters: no flags; SYN with FIN or RST; FIN with RST; FIN, PSH or URG without ACK.
 */
final class TcpFlagCheck {
    private TcpFlagCheck() {
    }

    /** What is wrong with the flags, or null if nothing is. */
    static String problem(int flags) {
        if ((flags & 0x3f) == 0) {
            return "no TCP flags (null scan)";
        }
        if ((flags & (TCP_SYN | TCP_FIN)) == (TCP_SYN | TCP_FIN)) {
            return "SYN with FIN";
        }
        if ((flags & (TCP_SYN | TCP_RST)) == (TCP_SYN | TCP_RST)) {
            return "SYN with RST";
        }
        if ((flags & (TCP_FIN | TCP_RST)) == (TCP_FIN | TCP_RST)) {
            return "FIN with RST";
        }
        if ((flags & TCP_ACK) == 0 && (flags & (TCP_FIN | TCP_PSH | TCP_URG)) != 0) {
            return (flags & (TCP_FIN | TCP_PSH | TCP_URG)) == (TCP_FIN | TCP_PSH | TCP_URG)
                    ? "FIN, PSH and URG without ACK (Xmas scan)" : "FIN, PSH or URG without ACK";
        }
        return null;
    }
}
