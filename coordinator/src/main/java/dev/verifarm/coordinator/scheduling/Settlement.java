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
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How attempts end and what that does to their job. Every change starts by locking the job's row, so that
 * coordinators sharing one database, each with its own scheduling loop, never end one attempt twice or move one
 * job two ways.
 * <p>
 * A transaction of the scheduling loop loads an active attempt only once it holds its job's lock (renewals of
 * leases are bulk statements, see {@link LeaseKeeper}), so the attempts it holds are current until it commits.
 */
@ApplicationScoped
class Settlement {
    /** This transaction's attempts, by lease, each with its job locked. */
    private static final Object LOCKED_BY_LEASE = new Object();
    private final Fleet fleet;
    private final JobEvents events;
    private final FleetWideTargets targets;
    private final SchedulingLoop loop;
    private final int maxAttempts;
    @Inject
    Event<InfrastructureFailure> failures;

    @Inject
    Settlement(Fleet fleet, JobEvents events, FleetWideTargets targets, SchedulingLoop loop,
               CoordinatorConfig config) {
        this.fleet = fleet;
        this.events = events;
        this.targets = targets;
        this.loop = loop;
        this.maxAttempts = config.job().maxAttempts();
    }

    /** An attempt with its job, locked for the current transaction. */
    record Locked(JobEntity job, AttemptEntity attempt) {
    }

    /** The job, locked for this transaction; empty if there is no such job. */
    Optional<JobEntity> lock(String jobId) {
        return JobEntity.findByIdOptional(jobId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The attempt of {@code leaseId} with its job locked; empty if no attempt has that lease. An agent's messages
     * about one lease often commit in one group: the first locks, the others reuse. The queries filter on columns
     * that never change, so they need not flush the group's pending changes first (which would split its batches).
     */
    Optional<Locked> lockByLease(String leaseId) {
        Map<String, Locked> locked = loop.perTransaction(LOCKED_BY_LEASE, HashMap::new);
        Locked known = locked.get(leaseId);
        if (known != null) {
            return Optional.of(known);
        }
        EntityManager em = JobEntity.getEntityManager();
        // a list, not getResultStream: a scrollable result set made H2 prepare the statement anew each time
        Optional<JobEntity> job = em.createQuery("from JobEntity j where j.id ="
                        + " (select a.jobId from AttemptEntity a where a.leaseId = ?1)", JobEntity.class)
                .setParameter(1, leaseId).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setFlushMode(FlushModeType.COMMIT).getResultList().stream().findFirst();
        if (job.isEmpty()) {
            return Optional.empty();
        }
        AttemptEntity attempt = em.createQuery("from AttemptEntity a where a.leaseId = ?1", AttemptEntity.class)
                .setParameter(1, leaseId).setFlushMode(FlushModeType.COMMIT).getSingleResult();
        Locked both = new Locked(job.get(), attempt);
        locked.put(leaseId, both);
        return Optional.of(both);
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
        // once stored: an attempt whose end is lost with its transaction still holds its slot
        fleet.find(attempt.agentId).ifPresent(agent -> loop.afterCommit(() -> agent.release(attempt.leaseId)));
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
        // by job, a column that never changes: the attempts this transaction changed come back as it left them
        List<AttemptEntity> attempts = AttemptEntity.getEntityManager()
                .createQuery("from AttemptEntity a where a.jobId = ?1 order by a.number", AttemptEntity.class)
                .setParameter(1, job.id).setFlushMode(FlushModeType.COMMIT).getResultList();
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
