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
 * fails, its changes are run again, the one that failed alone (see {@link #commit}), so one bad change (a refused
 * submission, a constraint) fails only itself: a change must therefore not act outside the database except after
 * commit.
 */
public final class GroupCommits {
    private final Executor thread;
    private final int groupSize;
    private final Queue<Queued<?>> first = new ConcurrentLinkedQueue<>();
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
        return add(queued, change);
    }

    /**
     * Queues {@code change} to run at the head of the next group, before the changes queued with {@link #add}: for
     * changes that insert rows the others may refer to. A flush sorts its inserts by table in the order each table
     * was first met, and rows that refer to a new row must not reach the database before it.
     */
    public <T> CompletableFuture<T> addFirst(Supplier<T> change) {
        return add(first, change);
    }

    private <T> CompletableFuture<T> add(Queue<Queued<?>> to, Supplier<T> change) {
        CompletableFuture<T> done = new CompletableFuture<>();
        to.add(new Queued<>(change, done));
        thread.execute(this::commitQueued);
        return done;
    }

    /** Fails every change still queued with {@code why}, and returns how many there were. */
    public int dropQueued(RuntimeException why) {
        int dropped = 0;
        for (Queue<Queued<?>> from : List.of(first, queued)) {
            for (Queued<?> change; (change = from.poll()) != null; dropped++) {
                change.done().completeExceptionally(why);
            }
        }
        return dropped;
    }

    private void commitQueued() {
        List<Queued<?>> group = new ArrayList<>();
        take(first, group);
        take(queued, group);  // one queued first meanwhile waits for the next group
        commit(group);  // empty if an earlier call took this one's change into its group
    }

    /**
     * Commits {@code group} in one transaction. If a change throws, the changes before it run again and commit
     * together, it runs again alone, and those after it go on as a group: still in the order they were queued, and
     * a refused change costs its group a few transactions more, not one per change. If the commit itself fails,
     * nothing says which change is to blame, and each is run alone.
     */
    private void commit(List<Queued<?>> group) {
        if (group.size() <= 1) {
            group.forEach(Queued::commitAlone);
            return;
        }
        List<Object> results = new ArrayList<>(group.size());
        try {
            QuarkusTransaction.requiringNew().run(() -> group.forEach(change -> results.add(change.change().get())));
        } catch (RuntimeException e) {
            int thrower = results.size();
            if (thrower == group.size()) {
                group.forEach(Queued::commitAlone);
                return;
            }
            commit(group.subList(0, thrower));
            group.get(thrower).commitAlone();
            commit(group.subList(thrower + 1, group.size()));
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            complete(group.get(i), results.get(i));
        }
    }

    private void take(Queue<Queued<?>> from, List<Queued<?>> group) {
        for (Queued<?> change; group.size() < groupSize && (change = from.poll()) != null; ) {
            group.add(change);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Queued<T> change, Object result) {
        change.done().complete((T) result);
    }
}
