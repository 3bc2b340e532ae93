package dev.verifarm.coordinator.nightly;

import dev.verifarm.coordinator.nightly.report.NightlyReport;

import java.time.Instant;
import java.util.Optional;

/** A run as the history of a suite lists it; {@code summary} once it has finished. */
public record RunSummary(String id, String suite, String state, String trigger, Instant scheduledFor,
                         Instant startedAt, Instant deadlineAt, Optional<Instant> finishedAt,
                         Optional<NightlyReport.Summary> summary) {
}
