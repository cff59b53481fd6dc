package dev.bastion.agent.attack;

/** The result of one attempt and what proves it, in words a reader can check. */
public record Finding(Result result, String evidence) {

    /** FEASIBLE when the attack's effect was seen, BLOCKED when it was not. */
    public static Finding effect(boolean seen, String evidence) {
        return new Finding(seen ? Result.FEASIBLE : Result.BLOCKED, evidence);
    }

    public static Finding notApplicable(String reason) {
        return new Finding(Result.NOT_APPLICABLE, reason);
    }

    public static Finding error(String what) {
        return new Finding(Result.ERROR, what);
    }
}
