package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.JobEvent;

import java.util.function.Consumer;

/**
 * One watcher of one job: its history so far, then each event as it commits, ending after the event that
 * finishes the job. Events are numbered, so history and live events never repeat or reorder.
 */
public final class JobWatch implements AutoCloseable {
    private final String jobId;
    private final JobEvents events;
    private final Consumer<JobEvent> sink;
    private final Runnable end;
    private AutoCloseable subscription;
    private long delivered;
    private boolean done;

    /** {@code sink} hears each event; {@code end} is called once, after the job's final event. */
    public JobWatch(String jobId, JobEvents events, Consumer<JobEvent> sink, Runnable end) {
        this.jobId = jobId;
        this.events = events;
        this.sink = sink;
        this.end = end;
    }

    /** Live events wait on this lock until the history is out; numbering drops those the history had. */
    public synchronized void start() {
        subscription = events.watch(jobId, this::deliver);
        events.history(jobId).forEach(this::deliver);
    }

    private synchronized void deliver(JobEvent event) {
        if (done || event.sequence() <= delivered) {
            return;
        }
        delivered = event.sequence();
        sink.accept(event);
        if (event.state().terminal()) {
            close();
            end.run();
        }
    }

    @Override
    public synchronized void close() {
        done = true;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop watching job " + jobId, e);
            }
        }
    }
}
