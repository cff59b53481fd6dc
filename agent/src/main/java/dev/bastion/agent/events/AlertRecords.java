package dev.bastion.agent.events;

import dev.bastion.chain.spi.Alert;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.policies.model.Protocol;
import java.util.Locale;

/** Chain alerts as the agent's alert log keeps them. */
public final class AlertRecords {
    private AlertRecords() {
    }

    public static AlertRecord of(Alert alert) {
        return new AlertRecord(alert.at(), alert.chain(), alert.function(),
                alert.severity().name().toLowerCase(Locale.ROOT), alert.message(),
                Addresses.ipText(alert.flow().sourceIp()), Addresses.ipText(alert.flow().destinationIp()),
                Protocol.text(alert.flow().protocol()), alert.flow().sourcePort(), alert.flow().destinationPort(),
                alert.action().name().toLowerCase(Locale.ROOT));
    }
}
