package dev.bastion.agent.attack;

import dev.bastion.policies.model.Container;

/** Lateral movement to a container the attacker has no dependency on (the server, on its service port). */
final class NonDependentMovement implements Attack {

    @Override
    public String name() {
        return "lateral-non-dependent";
    }

    @Override
    public String goal() {
        return "reach a container it has no dependency on";
    }

    @Override
    public Component component() {
        return Component.ISOLATION;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        return connect(lab, cast.server(), cast.serverPort());
    }

    /** The attacker asks {@code target}'s service on {@code port}; feasible when the target itself answers. */
    static Finding connect(AttackLab lab, Container target, int port) {
        Container attacker = lab.cast().attacker();
        String asked = "GET /from-" + attacker.name();
        String answer = lab.request(attacker, Cast.ip(target), port, asked).orElse("no answer");
        return Finding.effect(answer.equals(target.name() + ": " + asked), attacker.name() + " -> " + target.name() + " "
                + Cast.ip(target) + ":" + port + " answered '" + answer + "'");
    }
}
