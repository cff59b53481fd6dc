package dev.bastion.agent.attack;

/** What protects the lab the suite runs against, and so what every attack is expected to give. */
public enum Mode {
    /** The plain bridge, no agent: the insecure baseline, where every attack must work. */
    BASELINE(Result.FEASIBLE),
    /** Something enforces (the agent's datapath, or a test's quarantine): every attack must fail. */
    PROTECTED(Result.BLOCKED);

    private final Result expected;

    Mode(Result expected) {
        this.expected = expected;
    }

    public Result expected() {
        return expected;
    }
}
