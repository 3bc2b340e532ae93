package dev.verifarm.coordinator.store;

import io.quarkus.narayana.jta.QuarkusTransaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Changes queued from any thread and committed on one, as many to a transaction as are waiting (up to a group's
 * size): with the embedded database writing every commit through to its file, one commit per change capped the
 * farm's throughput. Each change's future completes once its transaction has committed. If a group's transaction
 * fails, each of its changes is run again alone, so one bad change (a refused submission, a constraint) costs only
 * itself: a change must therefore not act outside the database except after commit.
 */
public final class GroupCommits {
    private final Executor thread;
    private final int groupSize;
    private final Queue<Queued<?>> queued = new ConcurrentLinkedQueue<>();

    private record Queued<T>(Supplier<T> change, CompletableFuture<T> done) {
        /** Runs the change in a transaction of its own, and completes with its result or its failure. */
        void commitAlone() {
            try {
                done.complete(QuarkusTransaction.requiringNew().call(change::get));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    /** Commits on {@code thread}, which must run one task at a time, up to {@code groupSize} changes together. */
    public GroupCommits(Executor thread, int groupSize) {
        this.thread = thread;
        this.groupSize = groupSize;
    }

    /** Queues {@code change}; changes queued from one thread run in the order they were queued. */
    public <T> CompletableFuture<T> add(Supplier<T> change) {
        CompletableFuture<T> done = new CompletableFuture<>();
        queued.add(new Queued<>(change, done));
        thread.execute(this::commitQueued);
        return done;
    }

    /** Fails every change still queued with {@code why}, and returns how many there were. */
    public int dropQueued(RuntimeException why) {
        int dropped = 0;
        for (Queued<?> change; (change = queued.poll()) != null; dropped++) {
            change.done().completeExceptionally(why);
        }
        return dropped;
    }

    private void commitQueued() {
        List<Queued<?>> group = new ArrayList<>();
        for (Queued<?> change; group.size() < groupSize && (change = queued.poll()) != null; ) {
            group.add(change);
        }
        if (group.isEmpty()) {
            return;  // an earlier call took this one's change into its group
        }
        if (group.size() == 1) {
            group.get(0).commitAlone();
            return;
        }
        List<Object> results = new ArrayList<>(group.size());
        try {
            QuarkusTransaction.requiringNew().run(() -> group.forEach(change -> results.add(change.change().get())));
        } catch (RuntimeException e) {
            group.forEach(Queued::commitAlone);
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            complete(group.get(i), results.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Queued<T> change, Object result) {
        change.done().complete((T) result);
    }
}
