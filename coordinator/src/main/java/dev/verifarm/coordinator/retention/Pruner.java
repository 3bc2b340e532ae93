package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * Deletes, in the background and in small batches, what retention no longer keeps: nightly runs beyond the last
 * {@code nightly-runs-per-suite} of their suite, finished jobs older than {@code finished-jobs}, then artifacts
 * nothing refers to that are older than {@code orphan-artifacts}, and this coordinator's cached files of deleted
 * artifacts. Every coordinator sharing a database may prune at once (see {@link PruneBatches}). Runs on the
 * scheduler's worker thread, never on the scheduling loop's.
 */
@ApplicationScoped
public class Pruner {
    private static final Logger LOG = Logger.getLogger(Pruner.class);

    private final CoordinatorConfig.Retention config;
    private final CacheSweep cache;
    private final Timer batchTime;

    Pruner(CoordinatorConfig config, CacheSweep cache, MeterRegistry registry) {
        this.config = config.retention();
        this.cache = cache;
        // how long each batch held its locks: what pruning can cost the scheduling that runs beside it
        this.batchTime = Timer.builder("verifarm.retention.batch").description("one retention batch, in its"
                + " transaction").register(registry);
    }

    /** What one pass deleted, and its slowest batch (the longest any batch held its locks). */
    public record Pass(int runs, int jobs, int artifacts, int cachedFiles, int batches, Duration slowestBatch) {
    }

    @Scheduled(every = "${verifarm.retention.interval}", delayed = "${verifarm.retention.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.enabled()) {
            prune();
        }
    }

    public Pass prune() {
        Instant now = Instant.now();
        Batches batches = new Batches(config.batchSize(), batchTime);
        int runs = batches.drain(() -> PruneBatches.runs(config.nightlyRunsPerSuite(), config.batchSize()));
        int jobs = batches.drain(() -> PruneBatches.jobs(now.minus(config.finishedJobs()), config.batchSize()));
        int artifacts = batches.drain(() -> PruneBatches.artifacts(now.minus(config.orphanArtifacts()),
                config.batchSize()));
        int files = cache.sweep();
        Pass pass = new Pass(runs, jobs, artifacts, files, batches.count, batches.slowest);
        if (runs + jobs + artifacts + files > 0) {
            LOG.infof("retention deleted %d nightly runs, %d finished jobs, %d artifacts and %d cached files"
                    + " in %d batches, the slowest %d ms", runs, jobs, artifacts, files, batches.count,
                    batches.slowest.toMillis());
        }
        return pass;
    }

    /** Runs batches, each in its own transaction, until one comes back short. */
    private static final class Batches {
        private final int size;
        private final Timer timer;
        private int count;
        private Duration slowest = Duration.ZERO;

        Batches(int size, Timer timer) {
            this.size = size;
            this.timer = timer;
        }

        int drain(IntSupplier batch) {
            int total = 0;
            for (int deleted = size; deleted >= size; ) {
                long start = System.nanoTime();
                deleted = QuarkusTransaction.requiringNew().call(batch::getAsInt);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                timer.record(took);
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
                count++;
                total += deleted;
            }
            return total;
        }
    }
}
