package dev.verifarm.coordinator.nightly.report;

import java.util.Optional;

/**
 * One cell of the matrix suite entry × agent × expectation.
 *
 * @param entry          the entry's position in the suite
 * @param entryLabel     its host path or {@code sha256:...}
 * @param agent          the agent's name (stable across reconnects); empty when the entry reached no agent
 * @param expectation    {@code resolve R=T} or {@code copy R=T@END}, or {@code discover} for a discovery-only entry
 * @param artifactSha256 what the agent actually checked, from its report: tells a changed host file from a flaky one
 */
public record MatrixRow(int entry, String entryLabel, Optional<String> agent, Optional<String> agentArchitecture,
                        String expectation, Outcome outcome, String reason, Optional<String> jobId,
                        Optional<String> artifactSha256) {

    /** Identifies the same check on the same host across runs. */
    public String key() {
        return entryLabel + "\u0000" + agent.orElse("") + "\u0000" + expectation;
    }
}
