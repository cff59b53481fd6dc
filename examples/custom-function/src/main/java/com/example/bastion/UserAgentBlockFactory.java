package com.example.bastion;

import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import java.util.List;
import java.util.Locale;

/**
 * {@code user-agent-block}: blocks HTTP connections whose first request names a listed client in its
 * User-Agent header (scanners such as sqlmap or nikto announce themselves there). Configuration:
 * <pre>
 *   block: [sqlmap, nikto]   # required: case-insensitive parts of a User-Agent value
 *   maxHeadBytes: 8192       # longest request head looked at
 * </pre>
 */
public final class UserAgentBlockFactory implements SecurityFunctionFactory {

    @Override
    public String name() {
        return "user-agent-block";
    }

    @Override
    public SecurityFunction create(FunctionConfig config) throws ConfigException {
        config.allowOnly("block", "maxHeadBytes");
        List<String> block = config.strings("block");
        if (block.isEmpty()) {
            throw config.error("block", "list at least one User-Agent part to block");
        }
        for (int i = 0; i < block.size(); i++) {
            if (block.get(i).isBlank()) {
                throw config.error("block", i, "an empty part would match every client");
            }
        }
        int maxHead = config.integer("maxHeadBytes", 8192, 256, 65536);
        return new UserAgentBlock(block.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(), maxHead);
    }
}
