package dev.verifarm.coordinator.scheduling;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The one thread on which job and attempt state changes. Serialising the changes keeps a job from being leased
 * twice or finished twice by racing events, without row locks. Changes queued without waiting commit in groups:
 * with the embedded database writing every commit through to the file, one commit per agent message capped the
 * farm's throughput.
 */
@ApplicationScoped
public class SchedulingLoop {
    private static final Logger LOG = Logger.getLogger(SchedulingLoop.class);
    private static final int GROUP = 64;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("verifarm-scheduling"));
    private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();
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
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Queues {@code change} on the loop without waiting; changes queued from one thread run in the order they were
     * queued. It may share its transaction with other queued changes; if that fails, each is run again alone, so
     * a change must not act outside the database except through {@link #afterCommit}. A failure is logged: the
     * caller has moved on.
     */
    public void submit(Runnable change) {
        queued.add(change);
        thread.execute(this::commitQueued);
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

    private void commitQueued() {
        if (stopping) {
            queued.clear();
            return;
        }
        List<Runnable> group = new ArrayList<>();
        for (Runnable change; group.size() < GROUP && (change = queued.poll()) != null; ) {
            group.add(change);
        }
        if (group.isEmpty()) {
            return;  // an earlier call took this one's change into its group
        }
        if (group.size() == 1) {
            commitAlone(group.get(0));
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> group.forEach(Runnable::run));
        } catch (RuntimeException e) {
            // One change failed and took the group with it: alone, only the failing one is lost.
            group.forEach(SchedulingLoop::commitAlone);
        }
    }

    private static void commitAlone(Runnable change) {
        try {
            QuarkusTransaction.requiringNew().run(change);
        } catch (RuntimeException e) {
            LOG.errorf(e, "a scheduling change failed");
        }
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
        if (!queued.isEmpty()) {
            LOG.infof("shutting down: %d queued scheduling changes dropped", queued.size());
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
