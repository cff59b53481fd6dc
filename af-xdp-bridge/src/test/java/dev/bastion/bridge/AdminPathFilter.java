package dev.bastion.bridge;

import dev.bastion.chain.spi.FlowContext;
import dev.bastion.chain.spi.PacketView;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.Verdict;
import java.nio.charset.StandardCharsets;

/** Test function: drops a packet whose payload is an HTTP request for a path under /admin. */
final class AdminPathFilter implements SecurityFunction {
    private static final byte[] FORBIDDEN = "GET /admin".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Verdict inspect(PacketView packet, FlowContext flow) {
        if (packet.payloadLength() < FORBIDDEN.length) {
            return Verdict.PASS;
        }
        for (int i = 0; i < FORBIDDEN.length; i++) {
            if (packet.payloadByte(i) != FORBIDDEN[i]) {
                return Verdict.PASS;
            }
        }
        return Verdict.DROP;
    }
}
