package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.FailureKind;

/** An attempt ended without a report for an infrastructure reason; fired in the transaction that ended it. */
public record InfrastructureFailure(String agentName, Architecture architecture, FailureKind kind, String message,
                                    String jobId, int attempt) {
}
