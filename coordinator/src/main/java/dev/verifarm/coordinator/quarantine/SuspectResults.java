package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.scheduling.SuspectAttempts;
import dev.verifarm.coordinator.store.AttemptEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * When an agent fails a self-check for an architecture it had passed, the results it reported for that
 * architecture since the passing check are suspect: the fault may have come before the check that found it. Each is
 * marked, and run again on a healthy agent as {@code verifarm.suspect.rerun} says.
 */
@ApplicationScoped
class SuspectResults {
    private static final Logger LOG = Logger.getLogger(SuspectResults.class);
    private final SuspectAttempts attempts;
    private final CoordinatorConfig.SuspectPolicy settings;

    @Inject
    SuspectResults(SuspectAttempts attempts, CoordinatorConfig config) {
        this.attempts = attempts;
        this.settings = config.suspect();
    }

    /** In the scheduling loop's transaction; {@code failed} is the self-check that failed. */
    void selfCheckFailed(String agentName, Architecture architecture, Instant lastPassed, Health failed) {
        String why = "agent " + agentName + " failed its self-check for " + architecture + " at "
                + failed.checkedAt().map(Instant::toString).orElse("an unknown time") + " after this attempt: "
                + (failed.check().isEmpty() ? "" : failed.check() + ": ") + failed.reason();
        int rerun = 0;
        List<Reported> reported = reportedSince(agentName, architecture, lastPassed);
        for (Reported r : reported) {
            if (attempts.mark(r.attempt(), why, rerun(r))) {
                rerun++;
            }
        }
        if (!reported.isEmpty()) {
            LOG.warnf("%d result(s) of agent %s for %s since its self-check passed at %s are suspect; %d run again",
                    reported.size(), agentName, architecture, lastPassed, rerun);
        }
    }

    private boolean rerun(Reported r) {
        return switch (settings.rerun()) {
            case NONE -> false;
            case NATIVE_ERRORS -> r.mode() == ExecutionMode.NATIVE && r.attempt().outcome == JobState.ERROR;
            case ALL_NATIVE -> r.mode() == ExecutionMode.NATIVE;
        };
    }

    private record Reported(AttemptEntity attempt, ExecutionMode mode) {
    }

    private static List<Reported> reportedSince(String agentName, Architecture architecture, Instant since) {
        return AttemptEntity.getEntityManager().createQuery("select a, j.mode from AttemptEntity a, JobEntity j"
                        + " where j.id = a.jobId and a.agentName = ?1 and j.architecture = ?2 and a.report is not null"
                        + " and a.finishedAt > ?3 and a.suspect is null order by a.finishedAt", Object[].class)
                .setParameter(1, agentName).setParameter(2, architecture).setParameter(3, since)
                .getResultList().stream().map(row -> new Reported((AttemptEntity) row[0], (ExecutionMode) row[1]))
                .toList();
    }
}
