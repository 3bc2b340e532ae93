package dev.verifarm.cli.exit;

/** What the exit status tells a CI pipeline. */
public final class ExitStatus {
    /** Every expectation matched (or the command did what it was asked). */
    public static final int OK = 0;
    /** A verification failed: some expectation did not match. */
    public static final int VERIFICATION_FAILED = 1;
    /** Bad usage, an unreachable or refusing coordinator, a job that could not be verified. */
    public static final int ERROR = 2;

    private ExitStatus() {
    }
}
