package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.coordinator.nightly.report.MatrixRow;
import dev.verifarm.coordinator.nightly.report.Outcome;
import dev.verifarm.coordinator.scheduling.AttemptState;
import dev.verifarm.coordinator.scheduling.AttemptView;
import dev.verifarm.coordinator.scheduling.CheckOutcome;
import dev.verifarm.coordinator.scheduling.Expectation;
import dev.verifarm.coordinator.scheduling.JobState;
import dev.verifarm.coordinator.scheduling.JobView;
import dev.verifarm.coordinator.store.NightlyCellEntity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The matrix rows of one fan-out cell: one per expectation of its entry, from the job's last report. */
final class MatrixBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MatrixBuilder() {
    }

    static List<MatrixRow> rows(SuiteEntry entry, NightlyCellEntity cell, Optional<JobView> job) {
        List<String> names = entry.expectations().isEmpty() ? List.of("discover")
                : entry.expectations().stream().map(MatrixBuilder::name).toList();
        Optional<AttemptView> reported = job.flatMap(j -> j.attempts().stream()
                .filter(a -> a.state() == AttemptState.FINISHED && a.reportJson().isPresent())
                .reduce((first, second) -> second));
        Optional<JsonNode> report = reported.flatMap(a -> a.reportJson()).map(MatrixBuilder::tree);
        Optional<String> sha = report.map(r -> r.at("/artifact/sha256").asText("")).filter(s -> !s.isEmpty());
        Optional<String> reportError = report.map(r -> r.path("error").asText("")).filter(s -> !s.isEmpty());
        List<MatrixRow> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Outcome outcome;
            String reason;
            if (cell.error != null) {
                outcome = Outcome.NOT_FINISHED;
                reason = cell.error;
            } else if (reported.isEmpty()) {
                outcome = Outcome.NOT_FINISHED;
                reason = job.map(MatrixBuilder::unfinished).orElse("the job is gone");
            } else if (reportError.isPresent()) {
                outcome = Outcome.ERROR;
                reason = reportError.get();
            } else if (entry.expectations().isEmpty()) {
                outcome = job.get().state() == JobState.PASSED ? Outcome.MATCH : Outcome.ERROR;
                reason = "discovery " + job.get().state().name().toLowerCase(Locale.ROOT);
            } else {
                Optional<CheckOutcome> result = result(reported.get().results(), entry.expectations().get(i), i);
                outcome = result.map(r -> Outcome.of(r.verdict())).orElse(Outcome.ERROR);
                reason = result.map(CheckOutcome::reason).orElse("the agent's report has no result for it");
            }
            rows.add(new MatrixRow(cell.entryIndex, entry.label(), Optional.ofNullable(cell.agentName),
                    Optional.ofNullable(cell.agentArchitecture), names.get(i), outcome, reason,
                    Optional.ofNullable(cell.jobId), sha));
        }
        return rows;
    }

    /** {@code resolve R=T} or {@code copy R=T@END}: how the matrix names an expectation. */
    static String name(Expectation expectation) {
        return expectation.kind().name().toLowerCase(Locale.ROOT) + " " + SuiteDocument.spelling(expectation);
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
