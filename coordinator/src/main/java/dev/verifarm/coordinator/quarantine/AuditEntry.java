package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.store.QuarantineEventEntity;

import java.time.Instant;

/** One entry of the quarantine audit trail: who quarantined or readmitted an agent for an architecture, when, why. */
public record AuditEntry(String agentName, Architecture architecture, Action action, boolean automatic, String actor,
                         String reason, Instant at) {

    public enum Action { QUARANTINED, READMITTED }

    static AuditEntry of(QuarantineEventEntity row) {
        return new AuditEntry(row.agentName, row.architecture, Action.valueOf(row.action), row.automatic, row.actor,
                row.reason, row.at);
    }
}
