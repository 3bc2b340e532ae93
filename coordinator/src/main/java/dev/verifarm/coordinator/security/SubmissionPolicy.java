package dev.verifarm.coordinator.security;

import dev.verifarm.coordinator.access.Caller;
import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.problem.ForbiddenException;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.TooManyException;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.scheduling.Submissions;
import dev.verifarm.coordinator.store.ApiTokenEntity;
import dev.verifarm.coordinator.store.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may submit what, and how much: the expectations of one job, a submitter's jobs in flight, native execution
 * and host paths only for the roles the operator allows, and cancelling only one's own jobs unless an admin.
 */
@ApplicationScoped
public class SubmissionPolicy {
    private static final List<JobState> IN_FLIGHT = Arrays.stream(JobState.values()).filter(s -> !s.terminal())
            .toList();

    private final JobService jobs;
    private final Submissions submissions;
    private final int expectationsPerJob;
    private final int jobsInFlight;
    private final Set<Role> nativeRoles;
    private final Set<Role> hostPathRoles;

    SubmissionPolicy(JobService jobs, Submissions submissions, CoordinatorConfig config) {
        this.jobs = jobs;
        this.submissions = submissions;
        this.expectationsPerJob = config.limits().expectationsPerJob();
        this.jobsInFlight = config.limits().jobsInFlightPerSubmitter();
        this.nativeRoles = roles(config.policy().nativeExecutionRoles());
        this.hostPathRoles = roles(config.policy().hostPathRoles());
    }

    private static Set<Role> roles(List<String> names) {
        return names.stream().map(r -> Role.valueOf(r.strip().toUpperCase(Locale.ROOT)))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Submits a job for a caller. A non-admin caller's token row is locked while its jobs in flight are counted, in
     * the transaction that stores the job, so two submissions at once cannot both take the last free place, on one
     * coordinator or several.
     */
    public JobView submit(Caller caller, JobSpec spec) {
        if (spec.expectations().size() > expectationsPerJob) {
            throw new InvalidInputException("expectations", "a job may have at most " + expectationsPerJob
                    + " expectations, got " + spec.expectations().size());
        }
        if (spec.mode() == ExecutionMode.NATIVE && nativeRoles.stream().noneMatch(caller::is)) {
            throw new ForbiddenException("mode", "native execution runs the artifact on the agents' hosts and is"
                    + " allowed only for " + roleNames(nativeRoles) + " tokens; " + caller + " may submit static jobs");
        }
        if (spec.artifact() instanceof ArtifactSource.HostPath && hostPathRoles.stream().noneMatch(caller::is)) {
            throw new ForbiddenException("artifact.hostPath", "a host path names a file on the agents' hosts and is"
                    + " allowed only for " + roleNames(hostPathRoles) + " tokens; " + caller
                    + " may upload the artifact and submit it by sha256");
        }
        return submissions.submit(spec, Optional.of(caller.tokenId()), () -> {
            if (!caller.is(Role.ADMIN)) {
                requireRoomInFlight(caller);
            }
        });
    }

    /** Admins, who operate the farm (fan-outs, benchmarks), are not limited; everyone else is. */
    private void requireRoomInFlight(Caller caller) {
        ApiTokenEntity.findById(caller.tokenId(), LockModeType.PESSIMISTIC_WRITE);
        long inFlight = JobEntity.count("submittedBy = ?1 and state in ?2", caller.tokenId(), IN_FLIGHT);
        if (inFlight >= jobsInFlight) {
            throw new TooManyException("jobs", caller.name() + " has " + inFlight + " jobs in flight, the limit"
                    + " per submitter; submit again when some have finished");
        }
    }

    /** Cancels a job: its submitter's own, or anyone's for an admin. */
    public JobView cancel(Caller caller, String jobId) {
        if (!caller.is(Role.ADMIN)) {
            String owner = submitter(jobId);
            if (!caller.tokenId().equals(owner)) {
                throw new ForbiddenException("job_id", "job " + jobId + " was submitted by another token; only an"
                        + " admin may cancel it");
            }
        }
        return jobs.cancel(jobId);
    }

    @Transactional
    String submitter(String jobId) {
        jobs.get(jobId);  // NOT_FOUND (or a missing id) before FORBIDDEN
        return JobEntity.<JobEntity>findById(jobId).submittedBy;
    }

    private static String roleNames(Set<Role> roles) {
        return roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList().toString();
    }
}
