package dev.verifarm.coordinator.job;

/** One placement of a job on one agent. */
public enum AttemptState {
    LEASED, RUNNING,
    /** A report came back. */
    FINISHED,
    /** It ended with an infrastructure failure (see the attempt's failure). */
    FAILED,
    CANCELLED,
    /** Its lease was taken back: the agent went away or the lease ran out. */
    EXPIRED;

    public boolean active() {
        return this == LEASED || this == RUNNING;
    }
}
