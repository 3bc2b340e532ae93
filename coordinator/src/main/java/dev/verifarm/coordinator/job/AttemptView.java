package dev.verifarm.coordinator.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An attempt as the faces show it. {@code suspect}: why its result is not to be trusted (its host failed a
 * self-check after it), if so.
 */
public record AttemptView(int number, String leaseId, String agentId, String agentName, AttemptState state,
                          Instant leasedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt,
                          Instant expiresAt, Optional<Instant> deadline, List<CheckOutcome> results,
                          Optional<String> reportJson, Optional<AttemptOutcome.Failure> failure,
                          Optional<String> suspect) {

    public AttemptView {
        results = List.copyOf(results);
    }
}
