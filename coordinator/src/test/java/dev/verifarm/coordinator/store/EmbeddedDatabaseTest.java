package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.access.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class EmbeddedDatabaseTest {
    /**
     * The transaction reaper interrupts a thread that overruns its transaction, possibly inside an H2 file write:
     * Java then closes the file channel, and without H2's retry file system the database stays closed for good.
     */
    @Test
    void aWriteFromAnInterruptedThreadLeavesTheDatabaseWorking() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture.runAsync(() -> {
                Thread.currentThread().interrupt();
                try {
                    QuarkusTransaction.requiringNew().run(() -> token().persist());
                } catch (RuntimeException expected) {
                    // The interrupted write itself may fail; what matters is what comes after.
                } finally {
                    Thread.interrupted();
                }
            }, thread).get();
        } finally {
            thread.shutdownNow();
        }
        ApiTokenEntity after = token();
        QuarkusTransaction.requiringNew().run(() -> after.persist());
        assertEquals(1, QuarkusTransaction.requiringNew().call(
                () -> ApiTokenEntity.count("id = ?1", after.id)));
    }

    private static ApiTokenEntity token() {
        ApiTokenEntity token = new ApiTokenEntity();
        token.id = UUID.randomUUID().toString();
        token.name = "interrupted-" + token.id;
        token.role = Role.READER;
        token.tokenSha256 = token.id;
        token.createdAt = Instant.now();
        token.createdBy = "test";
        return token;
    }
}
