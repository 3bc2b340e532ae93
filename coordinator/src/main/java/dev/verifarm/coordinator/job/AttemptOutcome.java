package dev.verifarm.coordinator.job;

import java.util.List;
import java.util.Optional;

/**
 * What an agent sent back for an attempt: a report, or an infrastructure failure.
 *
 * @param reportJson  the full report with its evidence, as the canonical JSON of verifarm.v1.CheckReport
 * @param reportError why the engine could not read the artifact, when it could not
 * @param userHazards the assembly functions whose Go func value the user's code takes, when the job scanned for them
 */
public record AttemptOutcome(Optional<String> reportJson, List<CheckOutcome> results, Optional<String> reportError,
                             Optional<Failure> failure, List<String> userHazards) {

    public record Failure(FailureKind kind, String message) {
    }

    public AttemptOutcome {
        results = List.copyOf(results);
        userHazards = List.copyOf(userHazards);
        if (reportJson.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("an outcome is either a report or a failure");
        }
    }

    public static AttemptOutcome report(String reportJson, List<CheckOutcome> results, Optional<String> error,
                                        List<String> userHazards) {
        return new AttemptOutcome(Optional.of(reportJson), results, error, Optional.empty(), userHazards);
    }

    public static AttemptOutcome failure(FailureKind kind, String message) {
        return new AttemptOutcome(Optional.empty(), List.of(), Optional.empty(),
                Optional.of(new Failure(kind, message)), List.of());
    }

    /** The job state this outcome alone leads to. */
    public JobState jobState() {
        if (failure.isPresent() || reportError.isPresent()
                || results.stream().anyMatch(r -> r.verdict() == Verdict.ERROR)) {
            return JobState.ERROR;
        }
        return userHazards.isEmpty() && results.stream().allMatch(r -> r.verdict() == Verdict.MATCH)
                ? JobState.PASSED : JobState.FAILED;
    }
}
