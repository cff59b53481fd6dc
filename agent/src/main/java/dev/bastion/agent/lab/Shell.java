package dev.bastion.agent.lab;

import java.util.List;

/** Runs the lab's commands (ip, sysctl, ping). An interface so tests can interrupt a run halfway. */
public interface Shell {

    /** Runs {@code argv} to completion; returns its standard output, throws {@link LabException} if it fails. */
    String run(List<String> argv);

    /** Runs {@code argv} and reports only whether it exited with 0. */
    boolean succeeds(List<String> argv);

    static Shell system() {
        return new SystemShell();
    }
}
