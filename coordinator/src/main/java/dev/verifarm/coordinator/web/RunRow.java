package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.nightly.RunSummary;
import dev.verifarm.coordinator.nightly.report.NightlyReport;

/** A nightly run as one line of its suite's history. */
public record RunRow(String id, String shortId, String state, String trigger, String scheduledFor, String started,
                     String finished, String summary, int regressions) {

    static RunRow of(RunSummary run) {
        return new RunRow(run.id(), run.id().substring(0, Math.min(8, run.id().length())), run.state(),
                run.trigger(), Times.utc(run.scheduledFor()), Times.utc(run.startedAt()), Times.utc(run.finishedAt()),
                run.summary().map(RunRow::describe).orElse("running"),
                run.summary().map(NightlyReport.Summary::regressions).orElse(0));
    }

    static String describe(NightlyReport.Summary s) {
        return s.cells() + " cells: " + s.passed() + " passed, " + s.failed() + " failed, " + s.errors() + " errors; "
                + s.regressions() + " regressed, " + s.recoveries() + " recovered, " + s.flaky() + " flaky, "
                + s.absent() + " absent";
    }
}
