package dev.verifarm.coordinator.job;

import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A job as the faces show it, with every attempt. */
public record JobView(String id, JobState state, String status, ArtifactSource artifact, Architecture architecture,
                      List<Expectation> expectations, boolean discover, ExecutionMode mode, boolean fleetWide,
                      int priority, Duration timeout, Instant submittedAt, Optional<Instant> finishedAt,
                      List<AttemptView> attempts, boolean hazards) {

    public JobView {
        expectations = List.copyOf(expectations);
        attempts = List.copyOf(attempts);
    }
}
