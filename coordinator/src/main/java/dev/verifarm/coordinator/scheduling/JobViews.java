package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptOutcome;
import dev.verifarm.coordinator.job.AttemptView;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.CheckResultEntity;
import dev.verifarm.coordinator.store.JobEntity;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads stored jobs into the views the faces show; call within a transaction. */
final class JobViews {

    private JobViews() {
    }

    static JobView of(JobEntity job) {
        return view(job, AttemptEntity.<AttemptEntity>find("jobId = ?1 order by number", job.id)
                .stream().map(JobViews::attempt).toList());
    }

    /** A job just submitted: it has no attempts yet, and asking the database would flush the new row early. */
    static JobView submitted(JobEntity job) {
        return view(job, List.of());
    }

    private static JobView view(JobEntity job, List<AttemptView> attempts) {
        ArtifactSource source = job.artifactSha256 != null
                ? new ArtifactSource.Uploaded(job.artifactSha256) : new ArtifactSource.HostPath(job.hostPath);
        return new JobView(job.id, job.state, job.status, source, job.architecture,
                ExpectationCodec.decode(job.expectations), job.discover, job.mode, job.fleetWide, job.priority,
                Duration.ofMillis(job.timeoutMillis), job.submittedAt, Optional.ofNullable(job.finishedAt), attempts,
                job.hazards);
    }

    private static AttemptView attempt(AttemptEntity a) {
        List<CheckOutcome> results = CheckResultEntity.<CheckResultEntity>find("attemptId = ?1 order by position",
                a.id).stream().map(r -> new CheckOutcome(r.kind, r.resolver, r.target, r.verdict, r.reason)).toList();
        Optional<AttemptOutcome.Failure> failure = Optional.ofNullable(a.failureKind)
                .map(kind -> new AttemptOutcome.Failure(kind, a.failureMessage));
        return new AttemptView(a.number, a.leaseId, a.agentId, a.agentName, a.state, a.leasedAt,
                Optional.ofNullable(a.startedAt), Optional.ofNullable(a.finishedAt), a.expiresAt,
                Optional.ofNullable(a.deadlineAt), results, Optional.ofNullable(a.report), failure,
                Optional.ofNullable(a.suspect));
    }
}
