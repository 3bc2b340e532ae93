package dev.verifarm.coordinator.job;

import dev.verifarm.contract.CheckKind;

/** One result of a report, as much of it as the coordinator reasons about; the evidence stays in the report. */
public record CheckOutcome(CheckKind kind, String resolver, String target, Verdict verdict, String reason) {
}
