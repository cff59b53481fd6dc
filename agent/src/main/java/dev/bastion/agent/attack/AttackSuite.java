package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attacks one after the other against a lab whose services are up, each from a clean ARP state, reading the
 * protection's drop counters around each so that the report names what blocked it.
 */
public final class AttackSuite {
    private static final Logger log = LoggerFactory.getLogger(AttackSuite.class);

    private final List<Attack> attacks;

    public AttackSuite(List<Attack> attacks) {
        this.attacks = List.copyOf(attacks);
    }

    /** The paper's attacks (Table 1, section 2.2) and its Figure 10 kill chain, in the order of docs/security.md. */
    public static AttackSuite standard() {
        return new AttackSuite(List.of(
                new ArpScanArping(), new ArpScanNmap(), new IcmpSweep(), new TcpSweep(),
                new GratuitousArpSpoofing(), new ArpReplySpoofing(), new IpSpoofing(), new TcpRstInjection(),
                new SynFlood(), new SpoofedEavesdropping(), new HostNetworkEavesdropping(),
                new GatewayHostAccess(), new OtherGatewayHostAccess(), new HostNetworkInjection(),
                new UnpolicedPortMovement(), new NonDependentMovement(), new ServiceIpMovement(),
                new KillChain()));
    }

    public List<Attack> attacks() {
        return attacks;
    }

    public SuiteReport run(AttackLab lab, BlockEvidence evidence) {
        Mode mode = evidence.mode();
        try (AutoCloseable services = lab.startServices()) {
            lab.restoreNeighbours();
            TrafficCheck before = legitimate(lab);
            List<Outcome> outcomes = attacks.stream().map(a -> attempt(lab, evidence, a)).toList();
            TrafficCheck after = legitimate(lab);
            return new SuiteReport(lab.cast().inventory().name(), mode, before, after, outcomes);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private Outcome attempt(AttackLab lab, BlockEvidence evidence, Attack attack) {
        Map<String, Long> before = counters(lab, evidence);
        Finding finding;
        try {
            finding = attack.attempt(lab);
        } catch (RuntimeException e) {
            finding = Finding.error(e.getMessage());
        } finally {
            lab.restoreNeighbours();
        }
        Map<String, Long> rose = new LinkedHashMap<>();
        counters(lab, evidence).forEach((key, now) -> {
            long delta = now - before.getOrDefault(key, 0L);
            if (delta > 0) {
                rose.put(key, delta);
            }
        });
        Outcome outcome = new Outcome(attack.name(), attack.goal(), attack.component(), evidence.mode().expected(),
                finding.result(), finding.evidence(), rose);
        log.info("{}: {} (expected {}): {}", attack.name(), finding.result(), outcome.expected(), finding.evidence());
        return outcome;
    }

    /** Every container's counters, keyed "container: reason". */
    private static Map<String, Long> counters(AttackLab lab, BlockEvidence evidence) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Container c : lab.cast().inventory().containers()) {
            evidence.drops(c).forEach((reason, n) -> out.put(c.name() + ": " + reason, n));
        }
        return out;
    }

    /** The client asks the server over the port its policy opens, and must be answered by the server itself. */
    static TrafficCheck legitimate(AttackLab lab) {
        Cast cast = lab.cast();
        String asked = "GET legit-" + System.nanoTime();
        return lab.request(cast.client(), Cast.ip(cast.server()), cast.serverPort(), asked)
                .map(a -> new TrafficCheck(a.equals(cast.server().name() + ": " + asked),
                        cast.client().name() + " -> " + cast.server().name() + ":" + cast.serverPort() + " answered '" + a + "'"))
                .orElse(new TrafficCheck(false, cast.client().name() + " -> " + cast.server().name() + ":" + cast.serverPort()
                        + " got no answer"));
    }
}
