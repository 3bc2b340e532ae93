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
    void aFailingChangeFailsAloneAndTheOthersAreStored() throws Exception {
        holdTheThread();
        String before = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        IllegalArgumentException refused = new IllegalArgumentException("refused");
        CompletableFuture<Object> first = commits.add(storing(before));
        CompletableFuture<Object> failing = commits.add(() -> {
            token(UUID.randomUUID().toString()).persist();
            throw refused;
        });
        CompletableFuture<Object> last = commits.add(storing(after));
        release.countDown();

        ExecutionException failure = assertThrows(ExecutionException.class, failing::get);
        assertSame(refused, failure.getCause());
        assertNotEquals(first.get(), last.get(), "run again one transaction each");
        assertEquals(2, QuarkusTransaction.requiringNew().call(
                () -> ApiTokenEntity.count("id in ?1", List.of(before, after))));
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
        return () -> {
            token(id).persist();
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
