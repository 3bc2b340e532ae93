package dev.verifarm.coordinator.job;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.InvalidInputException;

import java.util.Optional;

/** Which jobs to list, newest first. */
public record JobFilter(Optional<JobState> state, Optional<Architecture> architecture,
                        Optional<String> artifactSha256, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public JobFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }
}
