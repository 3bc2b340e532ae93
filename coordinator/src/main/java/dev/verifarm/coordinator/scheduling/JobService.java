package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.artifact.Architecture;
import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.logging.LogContext;
import dev.verifarm.coordinator.metrics.FarmMetrics;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.CheckResultEntity;
import dev.verifarm.coordinator.store.JobEntity;
import io.quarkus.panache.common.Parameters;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Jobs from submission to their final state. Submissions and reads run on the caller's thread; every change to a
 * submitted job runs on the {@link SchedulingLoop}, so each attempt's result is recorded exactly once.
 */
@ApplicationScoped
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class);
    /** Attempts a job gets when infrastructure fails; a verdict is never retried. */
    static final int MAX_ATTEMPTS = 3;

    private final ArtifactStore artifacts;
    private final Fleet fleet;
    private final JobEvents events;
    private final SchedulingLoop loop;

    @Inject
    FarmMetrics metrics;

    @Inject
    JobService(ArtifactStore artifacts, Fleet fleet, JobEvents events, SchedulingLoop loop) {
        this.artifacts = artifacts;
        this.fleet = fleet;
        this.events = events;
        this.loop = loop;
    }

    @Transactional
    public JobView submit(JobSpec spec) {
        if (spec.expectations().isEmpty() && !spec.discover()) {
            throw new InvalidInputException("expectations", "a job needs at least one expectation, or discover");
        }
        JobEntity job = new JobEntity();
        job.id = UUID.randomUUID().toString();
        if (spec.artifact() instanceof ArtifactSource.Uploaded uploaded) {
            Architecture fromElf = artifacts.get("artifact.sha256", uploaded.sha256()).architecture();
            spec.declaredArchitecture().filter(declared -> declared != fromElf).ifPresent(declared -> {
                throw new InvalidInputException("architecture", "the job says " + declared
                        + " but the artifact's ELF header says " + fromElf);
            });
            job.artifactSha256 = uploaded.sha256();
            job.architecture = fromElf;
        } else if (spec.artifact() instanceof ArtifactSource.HostPath hostPath) {
            if (hostPath.path() == null || !hostPath.path().startsWith("/") || hostPath.path().length() > 4096) {
                throw new InvalidInputException("artifact.host_path.path",
                        "a host path must be absolute, got '" + hostPath.path() + "'");
            }
            job.hostPath = hostPath.path();
            job.architecture = spec.declaredArchitecture().orElseThrow(() -> new InvalidInputException(
                    "artifact.host_path.architecture",
                    "a host path needs its architecture: the coordinator cannot read the agents' files"));
        }
        job.state = JobState.QUEUED;
        job.status = "queued";
        job.expectations = ExpectationCodec.encode(spec.expectations());
        job.discover = spec.discover();
        job.mode = spec.mode();
        job.fleetWide = spec.fleetWide();
        job.priority = spec.priority();
        job.submittedAt = Instant.now();
        job.persist();
        events.record(job, "submitted for " + job.architecture);
        return JobViews.of(job);
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
            JobEntity job = find(jobId);
            if (!job.state.terminal()) {
                for (AttemptEntity attempt : activeAttempts(job.id)) {
                    end(attempt, AttemptState.CANCELLED, JobState.CANCELLED);
                    fleet.find(attempt.agentId).ifPresent(agent -> notify.add(
                            () -> agent.channel().cancel(attempt.leaseId, "the job was cancelled")));
                }
                finish(job, JobState.CANCELLED, "cancelled");
            }
            return JobViews.of(job);
        });
        notify.forEach(Runnable::run);
        return view;
    }

    /** An agent reports news of a lease; the first news marks the attempt running. */
    public void progress(String agentId, String leaseId, String message) {
        loop.call(() -> {
            activeAttempt(agentId, leaseId).ifPresent(attempt -> {
                JobEntity job = JobEntity.findById(attempt.jobId);
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
            return null;
        });
    }

    /** Records what an agent sent back for a lease, once; a late or repeated result is ignored. */
    public void finished(String agentId, String leaseId, AttemptOutcome outcome) {
        loop.call(() -> {
            Optional<AttemptEntity> active = activeAttempt(agentId, leaseId);
            if (active.isEmpty()) {
                try (LogContext context = LogContext.lease(null, agentId, leaseId)) {
                    LOG.infof("ignoring a result for lease %s, which is no longer active", leaseId);
                }
                return null;
            }
            AttemptEntity attempt = active.get();
            JobEntity job = JobEntity.findById(attempt.jobId);
            outcome.reportJson().ifPresent(report -> attempt.report = report);
            for (int i = 0; i < outcome.results().size(); i++) {
                CheckOutcome result = outcome.results().get(i);
                CheckResultEntity row = new CheckResultEntity();
                row.attemptId = attempt.id;
                row.position = i;
                row.kind = result.kind();
                row.resolver = result.resolver();
                row.target = result.target();
                row.verdict = result.verdict();
                row.reason = truncate(result.reason());
                row.persist();
            }
            metrics.verdicts(outcome.results());
            outcome.failure().ifPresent(f -> {
                attempt.failureKind = f.kind();
                attempt.failureMessage = truncate(f.message());
            });
            end(attempt, outcome.failure().isPresent() ? AttemptState.FAILED : AttemptState.FINISHED,
                    outcome.jobState());
            String summary = outcome.failure().map(f -> "attempt " + attempt.number + " on " + attempt.agentName
                            + " failed (" + f.kind() + "): " + f.message())
                    .orElseGet(() -> "attempt " + attempt.number + " on " + attempt.agentName + ": "
                            + outcome.jobState() + verdictSummary(outcome));
            settle(job, summary, outcome.failure().isPresent());
            return null;
        });
    }

    /** Takes back the leases of an agent whose stream ended, and requeues their jobs. */
    void agentLost(@Observes Fleet.FleetChanged change) {
        change.lost().ifPresent(agent -> loop.call(() -> {
            for (AttemptEntity attempt : AttemptEntity.<AttemptEntity>list("agentId = ?1 and state in ?2",
                    agent.id(), List.of(AttemptState.LEASED, AttemptState.RUNNING))) {
                attempt.failureKind = FailureKind.AGENT_LOST;
                attempt.failureMessage = "agent " + agent + " disconnected";
                metrics.leaseExpired("agent_lost");
                end(attempt, AttemptState.EXPIRED, JobState.ERROR);
                settle(JobEntity.findById(attempt.jobId), "attempt " + attempt.number + " lost: "
                        + attempt.failureMessage, true);
            }
            return null;
        }));
    }

    /** After a restart no agent holds a lease any more: requeue what was leased or running. */
    void recover(@Observes StartupEvent startup) {
        loop.call(() -> {
            for (AttemptEntity attempt : AttemptEntity.<AttemptEntity>list("state in ?1",
                    List.of(AttemptState.LEASED, AttemptState.RUNNING))) {
                attempt.failureKind = FailureKind.AGENT_LOST;
                attempt.failureMessage = "the coordinator restarted";
                metrics.leaseExpired("coordinator_restarted");
                end(attempt, AttemptState.EXPIRED, JobState.ERROR);
                settle(JobEntity.findById(attempt.jobId), "attempt " + attempt.number
                        + " lost: the coordinator restarted", true);
            }
            return null;
        });
    }

    /**
     * Moves a job on after one of its attempts ended: a fleet-wide job finishes when all its attempts have; any
     * other job finishes with its attempt's outcome, or is requeued after an infrastructure failure.
     */
    private void settle(JobEntity job, String summary, boolean infrastructureFailure) {
        if (job.state.terminal()) {
            return;
        }
        List<AttemptEntity> attempts = AttemptEntity.list("jobId = ?1 order by number", job.id);
        if (attempts.stream().anyMatch(a -> a.state.active())) {
            events.record(job, summary);
            return;
        }
        long failures = attempts.stream().filter(a -> a.failureKind != null).count();
        if (!job.fleetWide && infrastructureFailure && failures < MAX_ATTEMPTS) {
            job.state = JobState.QUEUED;
            job.status = summary + "; requeued";
            events.record(job, job.status);
            return;
        }
        List<AttemptEntity> deciding = job.fleetWide ? attempts : List.of(attempts.get(attempts.size() - 1));
        finish(job, worst(deciding), summary);
    }

    /** ERROR outranks FAILED outranks PASSED. */
    private static JobState worst(List<AttemptEntity> attempts) {
        if (attempts.stream().anyMatch(a -> a.outcome == JobState.ERROR)) {
            return JobState.ERROR;
        }
        return attempts.stream().anyMatch(a -> a.outcome == JobState.FAILED) ? JobState.FAILED : JobState.PASSED;
    }

    private void finish(JobEntity job, JobState state, String summary) {
        job.state = state;
        job.status = summary;
        job.finishedAt = Instant.now();
        events.record(job, summary);
    }

    private void end(AttemptEntity attempt, AttemptState state, JobState outcome) {
        attempt.state = state;
        attempt.outcome = outcome;
        attempt.finishedAt = Instant.now();
        fleet.find(attempt.agentId).ifPresent(agent -> agent.release(attempt.leaseId));
    }

    private static String verdictSummary(AttemptOutcome outcome) {
        if (outcome.reportError().isPresent()) {
            return " (" + outcome.reportError().get() + ")";
        }
        return outcome.results().isEmpty() ? "" : " (" + outcome.results().stream()
                .map(r -> r.resolver() + "=" + r.target() + " " + r.verdict()).reduce((a, b) -> a + ", " + b)
                .orElse("") + ")";
    }

    private Optional<AttemptEntity> activeAttempt(String agentId, String leaseId) {
        return AttemptEntity.<AttemptEntity>find("leaseId = ?1", leaseId).firstResultOptional()
                .filter(a -> a.agentId.equals(agentId) && a.state.active());
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

    private static String truncate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
    }
}
