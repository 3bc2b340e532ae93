package dev.verifarm.coordinator.nightly.report;

import dev.verifarm.coordinator.job.Verdict;

/** What one cell of a nightly matrix came to: an agent's verdict, or no verdict at all. */
public enum Outcome {
    MATCH, WRAPPER, MISMATCH, NOT_RELOCATABLE, UNRESOLVED, ERROR,
    /** No verdict: the job failed for an infrastructure reason, or was cancelled at the run's deadline. */
    NOT_FINISHED;

    public static Outcome of(Verdict verdict) {
        return valueOf(verdict.name());
    }

    public boolean passed() {
        return this == MATCH;
    }

    /** A verdict other than MATCH about the artifact itself, which JUnit reports as a failure. */
    public boolean failed() {
        return this == WRAPPER || this == MISMATCH || this == NOT_RELOCATABLE || this == UNRESOLVED;
    }

    /** The check could not be judged (ERROR verdict, infrastructure, deadline): a JUnit error. */
    public boolean errored() {
        return this == ERROR || this == NOT_FINISHED;
    }
}
