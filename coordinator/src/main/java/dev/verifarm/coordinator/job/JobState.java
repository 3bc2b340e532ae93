package dev.verifarm.coordinator.job;

/** Where a job is: {@code QUEUED → LEASED → RUNNING → {PASSED, FAILED, ERROR, CANCELLED, TIMED_OUT}}. */
public enum JobState {
    QUEUED, LEASED, RUNNING, PASSED, FAILED, ERROR, CANCELLED, TIMED_OUT;

    public boolean terminal() {
        return ordinal() >= PASSED.ordinal();
    }
}
