package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.store.AttemptEntity;
import dev.verifarm.coordinator.store.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Marks a finished attempt's result as not to be trusted and, when asked, runs its job again: the job goes back to
 * the queue, its final result becomes the new attempt's, and the suspect attempt stays in its history. Runs on the
 * scheduling loop, in its transaction.
 */
@ApplicationScoped
public class SuspectAttempts {
    private final Settlement settlement;
    private final JobEvents events;

    @Inject
    SuspectAttempts(Settlement settlement, JobEvents events) {
        this.settlement = settlement;
        this.events = events;
    }

    /**
     * Marks {@code attempt} suspect with {@code why}; with {@code rerun}, requeues its job if the job ended with
     * this attempt's result (not one a later attempt replaced, not a fleet-wide or pinned job, which only its own
     * agents run). Returns whether the job was requeued.
     */
    public boolean mark(AttemptEntity attempt, String why, boolean rerun) {
        JobEntity job = settlement.lock(attempt.jobId).orElseThrow();
        AttemptEntity current = Settlement.current(attempt);
        if (current.suspect != null) {
            return false;
        }
        current.suspect = Settlement.truncate(why);
        boolean last = AttemptEntity.count("jobId = ?1 and number > ?2", job.id, current.number) == 0;
        if (rerun && last && job.state.terminal() && job.state != JobState.CANCELLED && !job.fleetWide
                && job.pinnedAgent == null) {
            job.state = JobState.QUEUED;
            job.finishedAt = null;
            job.status = Settlement.truncate("re-running on a healthy agent: the result of attempt "
                    + current.number + " is suspect: " + why);
            events.record(job, job.status);
            return true;
        }
        events.record(job, "the result of attempt " + current.number + " is suspect: " + why);
        return false;
    }
}
