package dev.verifarm.coordinator.nightly.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * User hazards that appear or go between runs. A hazard has a row ({@code hazard F}) only in the runs that found it,
 * so the row-by-row comparison sees nothing to compare; a cell whose scan ran ({@code hazards}) in both runs tells
 * it apart: a hazard row now and none then is a regression, a hazard row then and none now a recovery.
 */
public final class HazardChanges {

    /** The row that says whether a cell's hazard scan ran and what it found. */
    public static final String SUMMARY = "hazards";
    /** The prefix of one user hazard's row. */
    public static final String HAZARD = "hazard ";

    private HazardChanges() {
    }

    /** Adds to the lists the hazards that appeared or went since the latest run that scanned the same cell. */
    static void compare(List<MatrixRow> now, List<NightlyReport> window, List<Change> regressions,
                        List<Change> recoveries) {
        Map<String, MatrixRow> current = byKey(now);
        for (MatrixRow summary : now) {
            if (!summary.expectation().equals(SUMMARY) || summary.outcome().errored()) {
                continue;
            }
            Optional<NightlyReport> previous = window.stream().filter(r -> scanned(r, summary.key())).findFirst();
            if (previous.isEmpty()) {
                continue;
            }
            Map<String, MatrixRow> then = byKey(previous.get().matrix());
            String cell = summary.key().substring(0, summary.key().length() - SUMMARY.length());
            for (MatrixRow row : now) {
                if (row.key().startsWith(cell + HAZARD) && !then.containsKey(row.key())) {
                    regressions.add(new Change(row.entryLabel(), row.agent().orElseThrow(), row.expectation(),
                            Outcome.MATCH, row.outcome(), previous.get().runId(), "a new user hazard: " + row.reason(),
                            List.of(row.outcome(), Outcome.MATCH)));
                }
            }
            for (MatrixRow row : previous.get().matrix()) {
                if (row.key().startsWith(cell + HAZARD) && !current.containsKey(row.key())) {
                    recoveries.add(new Change(row.entryLabel(), row.agent().orElseThrow(), row.expectation(),
                            row.outcome(), Outcome.MATCH, previous.get().runId(), "the user hazard is gone",
                            List.of(Outcome.MATCH, row.outcome())));
                }
            }
        }
    }

    /** Whether the run has a finished hazard scan for the cell whose summary row has this key. */
    private static boolean scanned(NightlyReport report, String summaryKey) {
        return report.matrix().stream().anyMatch(r -> r.key().equals(summaryKey) && !r.outcome().errored());
    }

    private static Map<String, MatrixRow> byKey(List<MatrixRow> rows) {
        Map<String, MatrixRow> out = new HashMap<>();
        rows.stream().filter(r -> r.agent().isPresent()).forEach(r -> out.put(r.key(), r));
        return out;
    }
}
