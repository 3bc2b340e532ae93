package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.threads.DaemonThreads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The one thread on which job and attempt state changes, each change in its own transaction. Serialising the
 * changes keeps a job from being leased twice or finished twice by racing events, without row locks.
 */
@ApplicationScoped
public class SchedulingLoop {
    private static final Logger LOG = Logger.getLogger(SchedulingLoop.class);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("verifarm-scheduling"));

    /** Runs {@code change} in a new transaction on the loop and waits for it to commit. */
    public <T> T call(Supplier<T> change) {
        Future<T> result = thread.submit(() -> QuarkusTransaction.requiringNew().call(change::get));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scheduler", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Queues {@code change} on the loop without waiting, in a new transaction; changes queued from one thread
     * run in the order they were queued. A failure is logged: the caller has moved on.
     */
    public void submit(Runnable change) {
        thread.execute(() -> {
            try {
                QuarkusTransaction.requiringNew().run(change);
            } catch (RuntimeException e) {
                LOG.errorf(e, "a scheduling change failed");
            }
        });
    }

    /** Queues {@code work} on the loop without waiting; it manages its own transactions. */
    public void execute(Runnable work) {
        thread.execute(work);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
