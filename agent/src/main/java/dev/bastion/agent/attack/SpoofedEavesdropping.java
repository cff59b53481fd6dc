package dev.bastion.agent.attack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Eavesdropping from a container that ARP-spoofed its way between client and server: the client's request and the
 * server's answer both pass the attacker. Proven by the request's secret in the attacker's capture.
 */
final class SpoofedEavesdropping implements Attack {

    @Override
    public String name() {
        return "eavesdrop-spoofed";
    }

    @Override
    public String goal() {
        return "read two peers' traffic after ARP-spoofing between them";
    }

    @Override
    public Component component() {
        return Component.DIRECT_ARP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        try (ManInTheMiddle mitm = new ManInTheMiddle(lab, cast.client(), cast.server());
             Capture capture = lab.capture(cast.attacker(), "tcp and port " + cast.serverPort())) {
            List<String> secrets = clientRequests(lab, "AUTH secret-");
            long seen = secrets.stream().filter(capture::carries).count();
            return Finding.effect(seen > 0, cast.attacker().name() + " read " + seen + " of the client's " + secrets.size()
                    + " requests ('" + secrets.get(0) + "' ...); " + mitm.describe());
        }
    }

    /**
     * The client asks the server three times, half a second apart, each request unique: the victims' own ARP
     * probes can set their tables right for a moment, and an eavesdropper simply waits for the next request.
     */
    static List<String> clientRequests(AttackLab lab, String prefix) {
        Cast cast = lab.cast();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String line = prefix + System.nanoTime();
            lab.request(cast.client(), Cast.ip(cast.server()), cast.serverPort(), line);
            sent.add(line);
            Capture.sleep(Duration.ofMillis(500));
        }
        return sent;
    }
}
