package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.store.QuarantineEntity;

import java.time.Instant;

/**
 * An agent kept from the work of one architecture.
 *
 * @param automatic put by the coordinator on evidence (lifted by a passing self-check or an admin), else by an admin
 *                  (lifted only by an admin)
 * @param actor     the admin's token name, or {@code coordinator}
 */
public record Quarantine(String agentName, Architecture architecture, boolean automatic, String actor, String reason,
                         Instant since) {

    static Quarantine of(QuarantineEntity row) {
        return new Quarantine(row.key.agentName(), row.key.architecture(), row.automatic, row.actor, row.reason,
                row.since);
    }
}
