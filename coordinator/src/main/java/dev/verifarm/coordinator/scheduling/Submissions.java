package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Submissions over the API, stored by the {@link SchedulingLoop} at the head of its next group: one commit for the
 * submitters that arrive together and the agents' messages and dispatch round beside them, instead of a commit for
 * each kind. A submission is answered only after its transaction has committed, so an acknowledged job is never lost.
 */
@ApplicationScoped
public class Submissions {
    private final JobService jobs;
    private final SchedulingLoop loop;

    @Inject
    Submissions(JobService jobs, SchedulingLoop loop) {
        this.jobs = jobs;
        this.loop = loop;
    }

    /**
     * Submits a job once {@code admit} has passed in the same transaction: the checks that read the database, such
     * as the submitter's jobs in flight, and throw to refuse. Waits until the job is stored.
     */
    public JobView submit(JobSpec spec, Optional<String> submittedBy, Runnable admit) {
        return loop.callFirst(() -> {
            admit.run();
            return jobs.submit(spec, submittedBy);
        });
    }
}
