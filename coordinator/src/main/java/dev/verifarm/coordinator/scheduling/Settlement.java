package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How attempts end and what that does to their job. Every change starts by locking the job's row, so that
 * coordinators sharing one database, each with its own scheduling loop, never end one attempt twice or move one
 * job two ways.
 */
@ApplicationScoped
class Settlement {
    private final Fleet fleet;
    private final JobEvents events;
    private final FleetWideTargets targets;
    private final int maxAttempts;
    @Inject
    Event<InfrastructureFailure> failures;

    @Inject
    Settlement(Fleet fleet, JobEvents events, FleetWideTargets targets, CoordinatorConfig config) {
        this.fleet = fleet;
        this.events = events;
        this.targets = targets;
        this.maxAttempts = config.job().maxAttempts();
    }

    /** The job, locked for this transaction; empty if there is no such job. */
    Optional<JobEntity> lock(String jobId) {
        return JobEntity.findByIdOptional(jobId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The attempt as it is now, read after its job was locked; another coordinator may have ended it. */
    static AttemptEntity current(AttemptEntity attempt) {
        AttemptEntity.getEntityManager().refresh(attempt);
        return attempt;
    }

    void end(AttemptEntity attempt, AttemptState state, JobState outcome) {
        attempt.state = state;
        attempt.outcome = outcome;
        attempt.finishedAt = Instant.now();
        fleet.find(attempt.agentId).ifPresent(agent -> agent.release(attempt.leaseId));
    }

    /** Ends an attempt that produced no report, for an infrastructure reason, and moves its job on. */
    void fail(JobEntity job, AttemptEntity attempt, AttemptState state, FailureKind kind, String message) {
        attempt.failureKind = kind;
        attempt.failureMessage = truncate(message);
        end(attempt, state, kind == FailureKind.TIMEOUT ? JobState.TIMED_OUT : JobState.ERROR);
        failures.fire(new InfrastructureFailure(attempt.agentName, job.architecture, kind, message, job.id,
                attempt.number));
        settle(job, "attempt " + attempt.number + " on " + attempt.agentName + " " + describe(state, kind) + ": "
                + message);
    }

    /**
     * Moves a job on after one of its attempts ended: a fleet-wide job finishes when all its targets have run; any
     * other job finishes with its attempt's outcome, or is requeued after an infrastructure failure other than a
     * timeout (a check that ran out of time elsewhere would run out of time again) while attempts remain.
     */
    void settle(JobEntity job, String summary) {
        if (job.state.terminal()) {
            return;
        }
        List<AttemptEntity> attempts = AttemptEntity.list("jobId = ?1 order by number", job.id);
        List<String> waiting = job.fleetWide ? targets.waiting(job.id) : List.of();
        if (!waiting.isEmpty()) {
            // the hosts it waits for are live at other coordinators, or gone until they come back
            job.status = truncate("still to run on " + String.join(", ", waiting));
        }
        if (attempts.stream().anyMatch(a -> a.state.active()) || !waiting.isEmpty()) {
            events.record(job, waiting.isEmpty() ? summary : summary + "; " + job.status);
            return;
        }
        AttemptEntity last = attempts.get(attempts.size() - 1);
        long failures = attempts.stream().filter(a -> a.failureKind != null).count();
        if (!job.fleetWide && last.failureKind != null && last.failureKind != FailureKind.TIMEOUT
                && failures < maxAttempts) {
            job.state = JobState.QUEUED;
            job.status = summary + "; requeued (attempt " + (failures + 1) + " of " + maxAttempts + ")";
            events.record(job, job.status);
            return;
        }
        finish(job, worst(job.fleetWide ? attempts : List.of(last)), summary);
    }

    void finish(JobEntity job, JobState state, String summary) {
        if (job.fleetWide) {
            targets.drop(job.id);
        }
        job.state = state;
        job.status = truncate(summary);
        job.finishedAt = Instant.now();
        events.record(job, job.status);
    }

    /** ERROR outranks TIMED_OUT outranks FAILED outranks PASSED. */
    private static JobState worst(List<AttemptEntity> attempts) {
        for (JobState state : List.of(JobState.ERROR, JobState.TIMED_OUT, JobState.FAILED)) {
            if (attempts.stream().anyMatch(a -> a.outcome == state)) {
                return state;
            }
        }
        return JobState.PASSED;
    }

    private static String describe(AttemptState state, FailureKind kind) {
        return state == AttemptState.EXPIRED ? "lost (" + kind + ")" : "failed (" + kind + ")";
    }

    static String truncate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
    }
}
