package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.access.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changes queued while the committing thread is busy share one transaction; a failing one costs only itself. */
@QuarkusTest
class GroupCommitsTest {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final GroupCommits commits = new GroupCommits(thread, 64);
    private final CountDownLatch release = new CountDownLatch(1);

    @Inject
    TransactionSynchronizationRegistry transactions;

    @AfterEach
    void stop() {
        release.countDown();
        thread.shutdownNow();
    }

    @Test
    void changesQueuedTogetherCommitInOneTransactionBeforeTheyAreAnswered() throws Exception {
        holdTheThread();
        List<CompletableFuture<Object>> done = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            done.add(commits.add(storing(id)));
        }
        release.countDown();
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            keys.add(done.get(i).get());
            // answered only once committed: another transaction sees the row
            String id = ids.get(i);
            assertEquals(1, QuarkusTransaction.requiringNew().call(() -> ApiTokenEntity.count("id = ?1", id)));
        }
        assertTrue(keys.stream().allMatch(k -> k.equals(keys.get(0))), "one transaction for all: " + keys);
    }

    @Test
    void aFailingChangeFailsAloneAndTheChangesAroundItAreStoredInTwoGroups() throws Exception {
        holdTheThread();
        List<String> before = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        List<String> after = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        IllegalArgumentException refused = new IllegalArgumentException("refused");
        List<CompletableFuture<Object>> first = before.stream().map(id -> commits.add(storing(id))).toList();
        CompletableFuture<Object> failing = commits.add(() -> {
            token(UUID.randomUUID().toString()).persist();
            throw refused;
        });
        List<CompletableFuture<Object>> last = after.stream().map(id -> commits.add(storing(id))).toList();
        release.countDown();

        ExecutionException failure = assertThrows(ExecutionException.class, failing::get);
        assertSame(refused, failure.getCause());
        assertEquals(first.get(0).get(), first.get(1).get(), "those before it commit together");
        assertEquals(last.get(0).get(), last.get(1).get(), "those after it commit together");
        assertNotEquals(first.get(0).get(), last.get(0).get(), "after the failing one, in a transaction of their own");
        List<String> stored = new ArrayList<>(before);
        stored.addAll(after);
        assertEquals(4, QuarkusTransaction.requiringNew().call(() -> ApiTokenEntity.count("id in ?1", stored)));
    }

    @Test
    void aFailedCommitRunsEachChangeAlone() throws Exception {
        holdTheThread();
        String sha256 = UUID.randomUUID().toString();
        String kept = UUID.randomUUID().toString();
        CompletableFuture<Object> stored = commits.add(storing(kept, sha256));
        // the same unique column under another id: refused only when the group is flushed at its commit
        CompletableFuture<Object> duplicate = commits.add(storing(UUID.randomUUID().toString(), sha256));
        release.countDown();

        assertThrows(ExecutionException.class, duplicate::get);
        stored.get();
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> ApiTokenEntity.count("id = ?1", kept)));
    }

    @Test
    void changesQueuedFirstRunAtTheHeadOfTheGroup() throws Exception {
        holdTheThread();
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Object> queued = commits.add(() -> order.add("queued"));
        CompletableFuture<Object> first = commits.addFirst(() -> order.add("first"));
        release.countDown();
        queued.get();
        first.get();
        assertEquals(List.of("first", "queued"), order);
    }

    @Test
    void droppedChangesFailWithTheReasonGiven() {
        holdTheThread();
        CompletableFuture<Object> queued = commits.add(storing(UUID.randomUUID().toString()));
        IllegalStateException stopping = new IllegalStateException("stopping");
        assertEquals(1, commits.dropQueued(stopping));
        release.countDown();
        ExecutionException failure = assertThrows(ExecutionException.class, queued::get);
        assertSame(stopping, failure.getCause());
    }

    /** Keeps the committing thread busy until {@link #release}, so that what is queued meanwhile waits together. */
    private void holdTheThread() {
        thread.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stores a token with {@code id}; its result is the key of the transaction it ran in. */
    private Supplier<Object> storing(String id) {
        return storing(id, id);
    }

    private Supplier<Object> storing(String id, String sha256) {
        return () -> {
            ApiTokenEntity token = token(id);
            token.tokenSha256 = sha256;
            token.persist();
            return transactions.getTransactionKey();
        };
    }

    private static ApiTokenEntity token(String id) {
        ApiTokenEntity token = new ApiTokenEntity();
        token.id = id;
        token.name = "group-" + id;
        token.role = Role.READER;
        token.tokenSha256 = id;
        token.createdAt = Instant.now();
        token.createdBy = "test";
        return token;
    }
}
