package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.AttemptView;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.nightly.report.MatrixRow;
import dev.verifarm.coordinator.nightly.report.Outcome;
import dev.verifarm.coordinator.store.NightlyCellEntity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The matrix rows of one fan-out cell, from the job's last report: one per expectation of its entry (or one for
 * discovery), and for an entry that scans for hazards one row {@code hazards} and one {@code hazard F} per user hazard.
 */
final class MatrixBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MatrixBuilder() {
    }

    static List<MatrixRow> rows(SuiteEntry entry, NightlyCellEntity cell, Optional<JobView> job) {
        List<String> names = !entry.expectations().isEmpty()
                ? entry.expectations().stream().map(MatrixBuilder::name).toList()
                : entry.discover() ? List.of("discover") : List.of();
        Optional<AttemptView> reported = job.flatMap(j -> j.attempts().stream()
                .filter(a -> a.state() == AttemptState.FINISHED && a.reportJson().isPresent())
                .reduce((first, second) -> second));
        Optional<JsonNode> report = reported.flatMap(a -> a.reportJson()).map(MatrixBuilder::tree);
        Optional<String> sha = report.map(r -> r.at("/artifact/sha256").asText("")).filter(s -> !s.isEmpty());
        Optional<Judged> unjudged = unjudged(cell, job, reported.isPresent(),
                report.map(r -> r.path("error").asText("")).filter(s -> !s.isEmpty()));
        List<MatrixRow> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Judged judged;
            if (unjudged.isPresent()) {
                judged = unjudged.get();
            } else if (entry.expectations().isEmpty()) {
                judged = new Judged(Outcome.MATCH, "discovery finished"); // a report without an error
            } else {
                Optional<CheckOutcome> result = result(reported.get().results(), entry.expectations().get(i), i);
                judged = new Judged(result.map(r -> Outcome.of(r.verdict())).orElse(Outcome.ERROR),
                        result.map(CheckOutcome::reason).orElse("the agent's report has no result for it"));
            }
            rows.add(row(entry, cell, names.get(i), judged, sha));
        }
        if (entry.hazards()) {
            rows.addAll(HazardRows.rows(entry, cell, unjudged, report, sha));
        }
        return rows;
    }

    /** An outcome with its reason. */
    record Judged(Outcome outcome, String reason) {
    }

    /** The outcome of every row of a cell that has no report to judge by, or empty when it has one. */
    private static Optional<Judged> unjudged(NightlyCellEntity cell, Optional<JobView> job, boolean reported,
                                             Optional<String> reportError) {
        if (cell.error != null) {
            return Optional.of(new Judged(Outcome.NOT_FINISHED, cell.error));
        }
        if (!reported) {
            return Optional.of(new Judged(Outcome.NOT_FINISHED, job.map(MatrixBuilder::unfinished)
                    .orElse("the job is gone")));
        }
        return reportError.map(e -> new Judged(Outcome.ERROR, e));
    }

    static MatrixRow row(SuiteEntry entry, NightlyCellEntity cell, String name, Judged judged, Optional<String> sha) {
        return new MatrixRow(cell.entryIndex, entry.label(), Optional.ofNullable(cell.agentName),
                Optional.ofNullable(cell.agentArchitecture), name, judged.outcome(), judged.reason(),
                Optional.ofNullable(cell.jobId), sha);
    }

    /** {@code resolve R=T} or {@code copy R=T@END}: how the matrix names an expectation. */
    static String name(Expectation expectation) {
        return expectation.kind().name().toLowerCase(Locale.ROOT) + " " + expectation.spelling();
    }

    /** Results come back in the order of the expectations; match them by content to be safe. */
    private static Optional<CheckOutcome> result(List<CheckOutcome> results, Expectation expected, int position) {
        if (position < results.size() && same(results.get(position), expected)) {
            return Optional.of(results.get(position));
        }
        return results.stream().filter(r -> same(r, expected)).findFirst();
    }

    private static boolean same(CheckOutcome result, Expectation expected) {
        return result.kind() == expected.kind() && result.resolver().equals(expected.resolver())
                && result.target().equals(expected.target());
    }

    private static String unfinished(JobView job) {
        if (job.state() == JobState.CANCELLED) {
            return "cancelled before a report came back: the run's deadline passed, or the job was cancelled by hand";
        }
        return job.state().terminal() ? "no report: " + job.status() : "still " + job.state().name().toLowerCase(
                Locale.ROOT) + ": " + job.status();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored report is unreadable", e);
        }
    }
}
