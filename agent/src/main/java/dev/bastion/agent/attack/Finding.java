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

    /**
     * A tool the attack needs was refused by the kernel (a raw or packet socket denied, as the BPF LSM does to
     * containers in tc mode): that is the attack blocked. Any other failure is an ERROR.
     */
    public static Finding refused(String who, RuntimeException failure) {
        String why = String.valueOf(failure.getMessage());
        boolean denied = why.contains("Operation not permitted") || why.contains("Permission denied");
        return new Finding(denied ? Result.BLOCKED : Result.ERROR, who + " was refused: " + why.strip());
    }

    public static Finding error(String what) {
        return new Finding(Result.ERROR, what);
    }
}
