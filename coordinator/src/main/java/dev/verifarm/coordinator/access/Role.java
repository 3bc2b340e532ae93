package dev.verifarm.coordinator.access;

/**
 * What a token may do. Submitter roles form a ladder (an admin may do all a submitter may, a submitter all a
 * reader may); an agent token only connects an agent, under the name it was enrolled for.
 */
public enum Role {
    /** Reads jobs, artifacts and agents. */
    READER,
    /** Uploads artifacts, submits jobs and cancels its own. */
    SUBMITTER,
    /** Manages tokens and suites, cancels anyone's jobs. */
    ADMIN,
    /** Connects one agent (or, for a name ending in '*', agents whose names start with what precedes it). */
    AGENT;

    /** Whether a token of this role may do what {@code needed} may. */
    public boolean covers(Role needed) {
        if (this == AGENT || needed == AGENT) {
            return this == needed;
        }
        return ordinal() >= needed.ordinal();
    }
}
