package dev.verifarm.coordinator.nightly.report;

import java.util.List;

/**
 * A cell whose outcome differs from an earlier run of the suite.
 *
 * @param previousRunId the latest earlier run that had this cell
 * @param history       the cell's outcomes, newest first, this run included (for flaky cells: the flips)
 */
public record Change(String entryLabel, String agent, String expectation, Outcome before, Outcome now,
                     String previousRunId, String reason, List<Outcome> history) {

    public Change {
        history = List.copyOf(history);
    }
}
