package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.store.GroupCommits;
import dev.verifarm.coordinator.threads.DaemonThreads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The one thread on which this coordinator stores new jobs and changes jobs and attempts (every change also locks
 * its job's row, for the other coordinators: see {@link Settlement}). Submissions, an agent's messages and dispatch
 * rounds commit in groups ({@link GroupCommits}): with several coordinators each one's share of the work is
 * smaller, and one group for all of it keeps their transactions per job down.
 */
@ApplicationScoped
public class SchedulingLoop {
    private static final Logger LOG = Logger.getLogger(SchedulingLoop.class);
    private static final int GROUP = 64;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("verifarm-scheduling"));
    private final GroupCommits queued = new GroupCommits(thread, GROUP);
    private final TransactionSynchronizationRegistry transactions;
    private volatile boolean stopping;

    @Inject
    SchedulingLoop(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Runs {@code change} in a new transaction on the loop and waits for it to commit. */
    public <T> T call(Supplier<T> change) {
        Future<T> result = thread.submit(() -> QuarkusTransaction.requiringNew().call(change::get));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scheduler", e);
        } catch (ExecutionException e) {
            throw failureOf(e.getCause());
        }
    }

    /**
     * Runs {@code change} at the head of the loop's next group, before the changes queued with {@link #submit} (see
     * {@link GroupCommits#addFirst}), and waits for it to commit: for changes that insert jobs. Its failure is
     * thrown here.
     */
    public <T> T callFirst(Supplier<T> change) {
        if (stopping) {
            throw shuttingDown();
        }
        try {
            return queued.addFirst(change).join();
        } catch (CompletionException e) {
            throw failureOf(e.getCause());
        }
    }

    /**
     * Queues {@code change} on the loop without waiting; changes queued from one thread run in the order they were
     * queued. It may share its transaction with other queued changes; if that fails, it may be run again (see
     * {@link GroupCommits}), so a change must not act outside the database except through {@link #afterCommit}.
     * A failure is logged: the caller has moved on.
     */
    public void submit(Runnable change) {
        if (stopping) {
            return;
        }
        queued.add(() -> {
            change.run();
            return null;
        }).exceptionally(failure -> {
            if (!stopping) {
                LOG.errorf(failure, "a scheduling change failed");
            }
            return null;
        });
    }

    /**
     * The current transaction's value for {@code key}, made by {@code create} the first time it is asked for in
     * that transaction.
     */
    @SuppressWarnings("unchecked")
    <T> T perTransaction(Object key, Supplier<T> create) {
        T value = (T) transactions.getResource(key);
        if (value == null) {
            value = create.get();
            transactions.putResource(key, value);
        }
        return value;
    }

    /** Runs {@code action} once the current transaction has committed, and not at all if it rolls back. */
    public void afterCommit(Runnable action) {
        afterCompletion(true, action);
    }

    /** Runs {@code action} if the current transaction rolls back (a lost connection, say), to undo what it did. */
    public void afterRollback(Runnable action) {
        afterCompletion(false, action);
    }

    private void afterCompletion(boolean committed, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if ((status == Status.STATUS_COMMITTED) == committed) {
                    action.run();
                }
            }
        });
    }

    /** Queues {@code work} on the loop without waiting; it manages its own transactions. */
    public void execute(Runnable work) {
        thread.execute(work);
    }

    /**
     * Hibernate closes before this bean is destroyed, so changes still queued then (streams ending as the agents
     * disconnect) would each fail; they are dropped instead: the leases they concern stay in the database and are
     * renewed by the agents' next coordinator or expire.
     */
    void stopping(@Observes ShutdownEvent shutdown) {
        stopping = true;
        int dropped = queued.dropQueued(shuttingDown());
        if (dropped > 0) {
            LOG.infof("shutting down: %d queued scheduling changes dropped", dropped);
        }
    }

    /** What a change threw, for its caller. */
    private static RuntimeException failureOf(Throwable cause) {
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    private static IllegalStateException shuttingDown() {
        return new IllegalStateException("the coordinator is shutting down and did not store the change; send it"
                + " again");
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
