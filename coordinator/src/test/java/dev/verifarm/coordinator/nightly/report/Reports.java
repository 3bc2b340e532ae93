package dev.verifarm.coordinator.nightly.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Matrix rows and reports for the comparison and JUnit tests. */
final class Reports {
    static final String ENTRY = "/opt/verifarm/stubs";
    static final String CHECK = "resolve main.addrOfMemcpyish=main.memcpyish";

    private Reports() {
    }

    static MatrixRow row(String agent, Outcome outcome, String sha) {
        return new MatrixRow(0, ENTRY, Optional.of(agent), Optional.of("AMD64"), CHECK, outcome,
                outcome == Outcome.MATCH ? "yields the body" : "yields main.otherLeaf", Optional.of("job-" + agent),
                Optional.of(sha));
    }

    static NightlyReport report(String runId, List<MatrixRow> matrix) {
        RunComparison.Result none = new RunComparison.Result(List.of(), List.of(), List.of(), List.of());
        return report(runId, matrix, none);
    }

    static NightlyReport report(String runId, List<MatrixRow> matrix, RunComparison.Result compared) {
        Instant at = Instant.parse("2026-11-25T02:00:00Z");
        return new NightlyReport(runId, "stubs", "FINISHED", at, "SCHEDULE", at, at.plusSeconds(3600),
                Optional.of(at.plusSeconds(42)), Optional.empty(),
                new NightlyReport.Summary(matrix.size(), (int) matrix.stream().filter(r -> r.outcome().passed()).count(),
                        (int) matrix.stream().filter(r -> r.outcome().failed()).count(),
                        (int) matrix.stream().filter(r -> r.outcome().errored()).count(),
                        compared.regressions().size(), compared.recoveries().size(), compared.flaky().size(),
                        compared.absent().size()),
                matrix, compared.regressions(), compared.recoveries(), compared.flaky(), compared.absent());
    }
}
