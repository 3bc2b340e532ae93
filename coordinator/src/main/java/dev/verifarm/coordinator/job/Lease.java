package dev.verifarm.coordinator.job;

import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;

import java.time.Instant;
import java.util.List;

/** The right of one agent to run one attempt of a job, until {@code deadline}. */
public record Lease(String leaseId, String jobId, int attempt, ArtifactSource artifact, Architecture architecture,
                    List<Expectation> expectations, ExecutionMode mode, boolean discover, Instant deadline,
                    boolean hazards) {

    public Lease {
        expectations = List.copyOf(expectations);
    }
}
