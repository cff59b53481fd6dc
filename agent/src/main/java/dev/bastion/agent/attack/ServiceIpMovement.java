package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.ServiceIp;
import java.util.Optional;

/**
 * Lateral movement through a service IP (a ClusterIP) to a backend the attacker has no dependency on. Whether the
 * lab translates service IPs at all is first checked with the client, which depends on that backend: if even it
 * gets no answer, there is no service-IP path to attack (the plain lab has no kube-proxy; Bastion's datapath
 * translates service IPs itself).
 */
final class ServiceIpMovement implements Attack {

    @Override
    public String name() {
        return "lateral-service-ip";
    }

    @Override
    public String goal() {
        return "reach a non-dependent backend through its service IP";
    }

    @Override
    public Component component() {
        return Component.GATEWAY_AND_SERVICE_IP;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        if (cast.service().isEmpty()) {
            return Finding.notApplicable("the inventory declares no service IP for " + cast.server().containerSet());
        }
        ServiceIp service = cast.service().get();
        String ip = service.ip().toString();
        int port = service.port().from();
        Optional<Listener> extra = lab.servedPorts(cast.server()).contains(service.targetPort())
                ? Optional.empty() : Optional.of(lab.listen(cast.server(), service.targetPort()));
        try {
            String target = ip + ":" + port + " (service " + service.name() + ")";
            if (!answeredByServer(lab, cast.client(), ip, port)) {
                return Finding.notApplicable("not even " + cast.client().name() + ", which depends on " + cast.server().name()
                        + ", is answered at " + target + ": the lab translates no service IPs");
            }
            boolean reached = answeredByServer(lab, cast.attacker(), ip, port);
            return Finding.effect(reached, cast.attacker().name() + " -> " + target + ": "
                    + (reached ? "answered by " : "no answer from ") + cast.server().name());
        } finally {
            extra.ifPresent(Listener::close);
        }
    }

    private static boolean answeredByServer(AttackLab lab, Container from, String ip, int port) {
        String asked = "GET /via-service";
        return lab.request(from, ip, port, asked).orElse("").equals(lab.cast().server().name() + ": " + asked);
    }
}
