package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.store.GroupCommits;
import dev.verifarm.coordinator.threads.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Submissions over the API, stored on one thread of their own in transactions shared by those that arrive together
 * ({@link GroupCommits}): one commit for many submitters instead of one each. A submission is answered only after
 * its transaction has committed, so an acknowledged job is never lost.
 */
@ApplicationScoped
public class Submissions {
    private static final Logger LOG = Logger.getLogger(Submissions.class);
    private static final int GROUP = 64;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("verifarm-submissions"));
    private final GroupCommits queued = new GroupCommits(thread, GROUP);
    private final JobService jobs;

    @Inject
    Submissions(JobService jobs) {
        this.jobs = jobs;
    }

    /**
     * Submits a job once {@code admit} has passed in the same transaction: the checks that read the database, such
     * as the submitter's jobs in flight, and throw to refuse. Waits until the job is stored.
     */
    public JobView submit(JobSpec spec, Optional<String> submittedBy, Runnable admit) {
        try {
            return queued.add(() -> {
                admit.run();
                return jobs.submit(spec, submittedBy);
            }).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw e;
        }
    }

    /** Submissions still queued at shutdown are refused rather than stored behind a closing database. */
    void stopping(@Observes ShutdownEvent shutdown) {
        int dropped = queued.dropQueued(new IllegalStateException(
                "the coordinator is shutting down and did not store the job; submit it again"));
        if (dropped > 0) {
            LOG.infof("shutting down: %d submissions not stored", dropped);
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
