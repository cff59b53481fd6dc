package dev.bastion.agent.attack;

/**
 * Lateral movement to the attacker's own dependency, on a port no policy opens (a listener the suite starts there).
 * Proven by that listener answering.
 */
final class UnpolicedPortMovement implements Attack {

    @Override
    public String name() {
        return "lateral-unpoliced-port";
    }

    @Override
    public String goal() {
        return "reach a dependency on a port its policy does not open";
    }

    @Override
    public Component component() {
        return Component.ISOLATION;
    }

    @Override
    public Finding attempt(AttackLab lab) {
        Cast cast = lab.cast();
        try (Listener listener = lab.listen(cast.peer(), cast.unpolicedPeerPort())) {
            return NonDependentMovement.connect(lab, cast.peer(), cast.unpolicedPeerPort());
        }
    }
}
