package dev.verifarm.coordinator.nightly.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one run of a suite found ({@code state} RUNNING: so far; FINISHED: in the end), compared with the suite's earlier runs. Flaky cells are listed as flaky, never as
 * regressions or recoveries.
 */
public record NightlyReport(String runId, String suite, String state, Instant scheduledFor, String trigger,
                            Instant startedAt, Instant deadlineAt, Optional<Instant> finishedAt,
                            Optional<String> previousRunId, Summary summary,
                            List<MatrixRow> matrix, List<Change> regressions, List<Change> recoveries,
                            List<Change> flaky, List<AbsentAgent> absent) {

    public NightlyReport {
        matrix = List.copyOf(matrix);
        regressions = List.copyOf(regressions);
        recoveries = List.copyOf(recoveries);
        flaky = List.copyOf(flaky);
        absent = List.copyOf(absent);
    }

    /** Counts of the matrix: passed (MATCH), failed (another verdict), errors (no judgement possible). */
    public record Summary(int cells, int passed, int failed, int errors, int regressions, int recoveries, int flaky,
                          int absent) {
    }
}
