package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.JobEvent;
import dev.verifarm.coordinator.store.JobEntity;
import dev.verifarm.coordinator.store.JobEventEntity;
import dev.verifarm.coordinator.threads.DaemonThreads;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Every job's history, kept in the database and, once the change has committed, told to the observers of
 * {@link JobEvent} and to watchers, in the order recorded: a transaction of the scheduling loop may hold several
 * steps of one job, and transactional observers would hear them in an order of the transaction manager's own.
 */
@ApplicationScoped
public class JobEvents {
    /** The current transaction's events, in order. */
    private static final Object RECORDED = new Object();
    private final Map<String, Set<Consumer<JobEvent>>> watchers = new ConcurrentHashMap<>();
    private final Event<JobEvent> committed;
    private final SchedulingLoop loop;
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(
            DaemonThreads.named("verifarm-job-events"));

    @Inject
    JobEvents(Event<JobEvent> committed, SchedulingLoop loop) {
        this.committed = committed;
        this.loop = loop;
    }

    /** Records a step of {@code job} (already in its new state) in the current transaction. */
    void record(JobEntity job, String message) {
        next(job, message).persist();
    }

    /**
     * Stores a new job with its first event in the current transaction: counted before the job's row is written,
     * so that the row is not written a second time for it.
     */
    void recordNew(JobEntity job, String message) {
        JobEventEntity first = next(job, message);
        job.persist();
        first.persist();
    }

    private JobEventEntity next(JobEntity job, String message) {
        JobEventEntity entity = new JobEventEntity();
        entity.jobId = job.id;
        entity.sequence = ++job.lastEvent;
        entity.at = Instant.now();
        entity.state = job.state;
        entity.message = message;
        recorded().add(new JobEvent(job.id, entity.sequence, entity.at, entity.state, entity.message));
        return entity;
    }

    private List<JobEvent> recorded() {
        return loop.perTransaction(RECORDED, () -> {
            List<JobEvent> recorded = new ArrayList<>();
            loop.afterCommit(() -> recorded.forEach(committed::fire));
            return recorded;
        });
    }

    @Transactional
    public List<JobEvent> history(String jobId) {
        return JobEventEntity.<JobEventEntity>find("jobId = ?1 order by sequence", jobId).stream()
                .map(e -> new JobEvent(e.jobId, e.sequence, e.at, e.state, e.message)).toList();
    }

    /** Calls {@code watcher} with each later event of the job until the returned handle is closed. */
    public AutoCloseable watch(String jobId, Consumer<JobEvent> watcher) {
        watchers.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(watcher);
        return () -> watchers.computeIfPresent(jobId, (id, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    /** Watchers hear of an event once it has committed, in order, on a thread of their own. */
    void deliver(@Observes JobEvent event) {
        Set<Consumer<JobEvent>> interested = watchers.get(event.jobId());
        if (interested != null) {
            delivery.execute(() -> interested.forEach(w -> w.accept(event)));
        }
    }

    @PreDestroy
    void stop() {
        delivery.shutdownNow();
    }
}
