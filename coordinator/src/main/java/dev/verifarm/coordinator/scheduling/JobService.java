package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.artifact.HostPaths;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptOutcome;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.JobFilter;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.metrics.FarmMetrics;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.CheckResultEntity;
import dev.verifarm.coordinator.store.JobEntity;
import dev.verifarm.coordinator.store.TimeOrderedIds;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Jobs from submission to their final state. A submission runs in its caller's transaction ({@link Submissions}'
 * shared one for the API's, a nightly run's own); reads run on the caller's thread; every change to a submitted job
 * runs on the {@link SchedulingLoop} with the job's row locked (see {@link Settlement}), so each attempt's result is
 * recorded exactly once, whichever coordinator hears of it.
 */
@ApplicationScoped
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class);
    private final ArtifactStore artifacts;
    private final Fleet fleet;
    private final JobEvents events;
    private final SchedulingLoop loop;
    private final Settlement settlement;
    private final Duration defaultTimeout;
    private final Duration maxTimeout;

    @Inject
    FarmMetrics metrics;
    @Inject
    FleetWideTargets targets;
    @Inject
    Dispatcher dispatcher;

    @Inject
    JobService(ArtifactStore artifacts, Fleet fleet, JobEvents events, SchedulingLoop loop, Settlement settlement,
               CoordinatorConfig config) {
        this.artifacts = artifacts;
        this.fleet = fleet;
        this.events = events;
        this.loop = loop;
        this.settlement = settlement;
        this.defaultTimeout = config.job().defaultTimeout();
        this.maxTimeout = config.job().maxTimeout();
    }

    /** Submits a job that no token submitted: a nightly run's. */
    @Transactional
    public JobView submit(JobSpec spec) {
        return submit(spec, Optional.empty());
    }

    /** Submits a job, recording the id of the token that submitted it (which its in-flight limit counts). */
    @Transactional
    public JobView submit(JobSpec spec, Optional<String> submittedBy) {
        if (spec.expectations().isEmpty() && !spec.discover() && !spec.hazards()) {
            throw new InvalidInputException("expectations",
                    "a job needs at least one expectation, or discover, or hazards");
        }
        JobEntity job = new JobEntity();
        job.id = TimeOrderedIds.next();
        if (spec.artifact() instanceof ArtifactSource.Uploaded uploaded) {
            Architecture fromElf = artifacts.getForUse("artifact.sha256", uploaded.sha256()).architecture();
            spec.declaredArchitecture().filter(declared -> declared != fromElf).ifPresent(declared -> {
                throw new InvalidInputException("architecture", "the job says " + declared
                        + " but the artifact's ELF header says " + fromElf);
            });
            job.artifactSha256 = uploaded.sha256();
            job.architecture = fromElf;
        } else if (spec.artifact() instanceof ArtifactSource.HostPath hostPath) {
            job.hostPath = HostPaths.require("artifact.hostPath.path", hostPath.path());
            job.architecture = spec.declaredArchitecture()
                    .orElseThrow(() -> HostPaths.architectureMissing("artifact.hostPath.architecture"));
        }
        job.state = JobState.QUEUED;
        job.status = "queued";
        job.expectations = ExpectationCodec.encode(spec.expectations());
        job.discover = spec.discover();
        job.hazards = spec.hazards();
        job.mode = spec.mode();
        job.fleetWide = spec.fleetWide();
        job.priority = spec.priority();
        job.timeoutMillis = timeout(spec).toMillis();
        job.pinnedAgent = spec.pinnedAgent().orElse(null);
        job.submittedAt = Instant.now();
        job.submittedBy = submittedBy.orElse(null);
        events.recordNew(job, "submitted for " + job.architecture);
        if (job.fleetWide) {
            targets.target(job);
            loop.afterCommit(dispatcher::fleetWideQueued);
        }
        return JobViews.submitted(job);
    }

    private Duration timeout(JobSpec spec) {
        Duration timeout = spec.timeout().orElse(defaultTimeout);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(maxTimeout) > 0) {
            throw new InvalidInputException("timeout", "a job's timeout must be between 1 s and "
                    + maxTimeout.toSeconds()
                    + " s (verifarm.job.max-timeout), got " + timeout.toMillis() + " ms");
        }
        return timeout;
    }

    @Transactional
    public JobView get(String jobId) {
        return JobViews.of(find(jobId));
    }

    @Transactional
    public List<JobView> list(JobFilter filter) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        filter.state().ifPresent(s -> {
            query.append(" and state = :state");
            parameters.and("state", s);
        });
        filter.architecture().ifPresent(a -> {
            query.append(" and architecture = :architecture");
            parameters.and("architecture", a);
        });
        filter.artifactSha256().ifPresent(sha -> {
            query.append(" and artifactSha256 = :sha");
            parameters.and("sha", sha);
        });
        query.append(" order by submittedAt desc");
        return JobEntity.<JobEntity>find(query.toString(), parameters).page(0, filter.limit()).stream()
                .map(JobViews::of).toList();
    }

    /** Cancels a job that has not finished; a finished job is returned unchanged. */
    public JobView cancel(String jobId) {
        List<Runnable> notify = new ArrayList<>();
        JobView view = loop.call(() -> {
            find(jobId);
            JobEntity job = settlement.lock(jobId).orElseThrow();
            if (!job.state.terminal()) {
                for (AttemptEntity attempt : activeAttempts(job.id)) {
                    settlement.end(attempt, AttemptState.CANCELLED, JobState.CANCELLED);
                    // An agent on another coordinator hears of it at its next heartbeat (see LeaseKeeper).
                    fleet.find(attempt.agentId).ifPresent(agent -> notify.add(
                            () -> agent.channel().cancel(attempt.leaseId, "the job was cancelled")));
                }
                settlement.finish(job, JobState.CANCELLED, "cancelled");
            }
            return JobViews.of(job);
        });
        notify.forEach(Runnable::run);
        return view;
    }

    /**
     * An agent reports news of a lease; the first news marks the attempt running. Queued without waiting, like
     * {@link #finished}, so that an agent's stream is always read at once (its heartbeats keep it alive) and its
     * messages still take effect in the order they came.
     */
    public void progress(String agentId, String leaseId, String message) {
        loop.submit(() -> {
            locked(agentId, leaseId).ifPresent(locked -> {
                AttemptEntity attempt = locked.attempt();
                JobEntity job = locked.job();
                if (attempt.state == AttemptState.LEASED) {
                    attempt.state = AttemptState.RUNNING;
                    attempt.startedAt = Instant.now();
                }
                if (job.state == JobState.LEASED) {
                    job.state = JobState.RUNNING;
                    job.status = "running on " + attempt.agentName;
                }
                events.record(job, attempt.agentName + ": " + message);
            });
        });
    }

    /**
     * Records what an agent sent back for a lease, once. A late result, for an attempt already taken back (its
     * agent was thought lost, the job was cancelled or timed out), is noted in the job's history and not counted.
     */
    public void finished(String agentId, String leaseId, AttemptOutcome outcome) {
        loop.submit(() -> {
            Optional<Settlement.Locked> active = locked(agentId, leaseId);
            if (active.isEmpty()) {
                noteLateResult(agentId, leaseId);
                return;
            }
            AttemptEntity attempt = active.get().attempt();
            JobEntity job = active.get().job();
            if (outcome.failure().isPresent()) {
                AttemptOutcome.Failure failure = outcome.failure().get();
                settlement.fail(job, attempt, AttemptState.FAILED, failure.kind(), failure.message());
                return;
            }
            attempt.report = outcome.reportJson().orElseThrow();
            for (int i = 0; i < outcome.results().size(); i++) {
                CheckOutcome result = outcome.results().get(i);
                CheckResultEntity row = new CheckResultEntity();
                row.attemptId = attempt.id;
                row.position = i;
                row.kind = result.kind();
                row.resolver = result.resolver();
                row.target = result.target();
                row.verdict = result.verdict();
                row.reason = Settlement.truncate(result.reason());
                row.persist();
            }
            loop.afterCommit(() -> metrics.verdicts(outcome.results()));
            settlement.end(attempt, AttemptState.FINISHED, outcome.jobState());
            settlement.settle(job, "attempt " + attempt.number + " on " + attempt.agentName + ": "
                    + outcome.jobState() + verdictSummary(outcome));
        });
    }

    private void noteLateResult(String agentId, String leaseId) {
        settlement.lockByLease(leaseId).filter(locked -> locked.attempt().agentId.equals(agentId))
                .ifPresentOrElse(locked -> events.record(locked.job(), "late result of attempt "
                                + locked.attempt().number + " from " + locked.attempt().agentName
                                + " ignored: the attempt had already ended " + locked.attempt().state),
                        () -> LOG.infof("ignoring a result for lease %s, which agent %s does not hold", leaseId,
                                agentId));
    }

    private static String verdictSummary(AttemptOutcome outcome) {
        if (outcome.reportError().isPresent()) {
            return " (" + outcome.reportError().get() + ")";
        }
        List<String> parts = new ArrayList<>();
        outcome.results().forEach(r -> parts.add(r.resolver() + "=" + r.target() + " " + r.verdict()));
        if (!outcome.userHazards().isEmpty()) {
            parts.add("user hazards: " + String.join(", ", outcome.userHazards()));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** The attempt of {@code leaseId}, with its job locked, while {@code agentId} holds it. */
    private Optional<Settlement.Locked> locked(String agentId, String leaseId) {
        return settlement.lockByLease(leaseId)
                .filter(locked -> locked.attempt().agentId.equals(agentId) && locked.attempt().state.active());
    }

    private static List<AttemptEntity> activeAttempts(String jobId) {
        return AttemptEntity.list("jobId = ?1 and state in ?2", jobId,
                List.of(AttemptState.LEASED, AttemptState.RUNNING));
    }

    private static JobEntity find(String jobId) {
        if (jobId == null || jobId.isBlank()) {
            throw new InvalidInputException("job_id", "a job id is required");
        }
        JobEntity job = JobEntity.findById(jobId);
        if (job == null) {
            throw new NotFoundException("job_id", "no job " + jobId);
        }
        return job;
    }
}
