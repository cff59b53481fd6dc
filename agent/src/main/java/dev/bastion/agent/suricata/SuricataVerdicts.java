package dev.bastion.agent.suricata;

import dev.bastion.chain.engine.AlertSink;
import dev.bastion.chain.spi.Alert;
import dev.bastion.chain.spi.FlowKey;
import dev.bastion.chain.spi.Severity;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.datapath.maps.Addresses;
import dev.bastion.datapath.maps.OverrideMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one chain's Suricata verdicts into the agent's: each alert becomes the chain's alert, and the verdicts
 * the chain's {@link BlockFlow} names block the rest of the flow in the datapath (both directions), so later
 * packets of that flow never reach user space again.
 */
final class SuricataVerdicts implements EveListener {
    private static final Logger log = LoggerFactory.getLogger(SuricataVerdicts.class);

    private final String chain;
    private final BlockFlow blockFlow;
    private final OverrideMap overrides;
    private final AlertSink alerts;

    SuricataVerdicts(String chain, BlockFlow blockFlow, OverrideMap overrides, AlertSink alerts) {
        this.chain = chain;
        this.blockFlow = blockFlow;
        this.overrides = overrides;
        this.alerts = alerts;
    }

    @Override
    public void event(EveEvent event) {
        if (event instanceof EveAlert alert) {
            boolean dropped = alert.action() == EveAlert.Action.BLOCKED;
            boolean block = blockFlow == BlockFlow.ON_ALERT || blockFlow == BlockFlow.ON_DROP && dropped;
            if (block) {
                block(alert.tuple());
            }
            alerts.publish(new Alert(alert.timestamp(), chain, SuricataFunctionFactory.NAME, severity(alert.severity()),
                    alert.signature() + " [sid " + alert.signatureId() + "]", flowKey(alert.tuple()),
                    block ? Verdict.BLOCK_FLOW : dropped ? Verdict.DROP : Verdict.PASS));
        } else if (event instanceof EveDrop drop && blockFlow == BlockFlow.ON_DROP) {
            block(drop.tuple());
        }
    }

    private void block(EveTuple tuple) {
        overrides.set(new dev.bastion.datapath.maps.FlowKey(Addresses.ip(tuple.srcIp()), Addresses.ip(tuple.destIp()),
                tuple.srcPort(), tuple.destPort(), tuple.protocolNumber()), OverrideMap.Action.BLOCK);
        log.info("chain {}: Suricata's verdict blocks {} {}:{} -> {}:{}", chain, tuple.proto(), tuple.srcIp(),
                tuple.srcPort(), tuple.destIp(), tuple.destPort());
    }

    /** Suricata's severity runs from 1 (most severe) to 4. */
    private static Severity severity(int suricata) {
        return suricata <= 1 ? Severity.HIGH : suricata == 2 ? Severity.MEDIUM : Severity.LOW;
    }

    private static FlowKey flowKey(EveTuple tuple) {
        // EVE does not say which container sent the packet; the addresses do.
        return new FlowKey("", Addresses.ip(tuple.srcIp()), Addresses.ip(tuple.destIp()), tuple.protocolNumber(),
                tuple.srcPort(), tuple.destPort());
    }
}
