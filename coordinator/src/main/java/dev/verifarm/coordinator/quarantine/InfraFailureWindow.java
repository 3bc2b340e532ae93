package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.scheduling.InfrastructureFailure;
import dev.verifarm.coordinator.store.AttemptEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Set;

/**
 * Quarantines an agent for an architecture once {@code verifarm.quarantine.infra-failures} of its attempts there
 * failed for infrastructure reasons within {@code verifarm.quarantine.window}. The failures are counted from the
 * attempts in the database, so every coordinator counts the same wherever the attempts ran, and only since the
 * agent was last readmitted: an agent readmitted gets the full count again.
 */
@ApplicationScoped
class InfraFailureWindow {
    private final Quarantines quarantines;
    private final CoordinatorConfig.QuarantinePolicy settings;

    @Inject
    InfraFailureWindow(Quarantines quarantines, CoordinatorConfig config) {
        this.quarantines = quarantines;
        this.settings = config.quarantine();
    }

    /** In the transaction that ended the attempt. */
    void onFailure(@Observes InfrastructureFailure failure) {
        Set<FailureKind> counted = settings.failureKinds();
        if (!counted.contains(failure.kind())) {
            return;
        }
        Instant from = Instant.now().minus(settings.window());
        Instant readmitted = quarantines.lastReadmitted(failure.agentName(), failure.architecture()).orElse(from);
        long failures = count(failure.agentName(), failure.architecture(), counted,
                readmitted.isAfter(from) ? readmitted : from);
        if (failures >= settings.infraFailures()) {
            quarantines.automatically(failure.agentName(), failure.architecture(), failures
                    + " infrastructure failures in " + settings.window().toString().substring(2).toLowerCase()
                    + ", the last attempt " + failure.attempt() + " of job " + failure.jobId() + ": "
                    + failure.kind() + ": " + failure.message());
        }
    }

    private static long count(String agentName, Architecture architecture, Set<FailureKind> kinds, Instant from) {
        return AttemptEntity.getEntityManager().createQuery("select count(a) from AttemptEntity a, JobEntity j"
                        + " where j.id = a.jobId and a.agentName = ?1 and j.architecture = ?2"
                        + " and a.failureKind in ?3 and a.finishedAt >= ?4", Long.class)
                .setParameter(1, agentName).setParameter(2, architecture).setParameter(3, kinds)
                .setParameter(4, from).getSingleResult();
    }
}
