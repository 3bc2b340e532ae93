package dev.verifarm.coordinator.e2e;

import dev.verifarm.coordinator.harness.Cleanup;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two coordinators of the PostgreSQL build on one real PostgreSQL server prune with retention set to seconds while
 * jobs on several artifacts come and go: nothing referenced is lost (no job vanishes before it has finished, no
 * unfinished job's artifact loses its bytes, every job passes), and old jobs and orphan artifacts do go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionOnPostgresIT {
    private static final String[] SHORT_RETENTION = {"-Dverifarm.retention.interval=1s",
            "-Dverifarm.retention.finished-jobs=3s", "-Dverifarm.retention.orphan-artifacts=2s",
            "-Dverifarm.retention.batch-size=20"};
    private static final Map<String, String> CHECKS = Map.of("main.addrOfMemcpyish", "main.memcpyish");
    private static final String UNFINISHED = "('QUEUED', 'LEASED', 'RUNNING')";
    private static final Duration SUBMITTING = Duration.ofSeconds(40);

    private PostgresServer database;
    private Farm first;
    private Farm second;

    @BeforeAll
    void start() {
        database = PostgresServer.start();
        first = Farm.startOnPostgres(database, Farm.workDir().resolve("artifacts-" + UUID.randomUUID()),
                SHORT_RETENTION);
        second = Farm.startOnPostgres(database, Farm.workDir().resolve("artifacts-" + UUID.randomUUID()),
                SHORT_RETENTION);
        first.startAgent("first-a", "amd64", 4);
        second.startAgent("second-a", "amd64", 4);
        new FarmApi(first).awaitAgents(names -> names.size() == 2, "register");
    }

    @AfterAll
    void stop() {
        Cleanup.closeAll(first, second, database);
    }

    @Test
    void prunersOnTwoCoordinatorsLoseNothingReferencedAndOldDataGoes() throws Exception {
        List<FarmApi> apis = List.of(new FarmApi(first), new FarmApi(second));
        List<String> artifacts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            artifacts.add(apis.get(i % 2).upload(distinctStubs(i), "stubs-" + i).get("sha256").asText());
        }
        String kept = artifacts.get(0);
        HttpResponse<String> suite = apis.get(0).put("/api/v1/suites/keeps-stubs", Map.of(
                "schedule", "0 0 2 1 1 ?", "entries", List.of(Map.of("artifact", Map.of("sha256", kept),
                        "expectations", List.of(Map.of("resolve", "main.addrOfMemcpyish=main.memcpyish"))))));
        assertEquals(200, suite.statusCode(), suite.body());

        Watch watch = new Watch();
        Thread watcher = new Thread(watch::run, "retention-watch");
        watcher.start();
        Map<String, Boolean> submitted = new ConcurrentHashMap<>();
        List<String> deletedWhileIdle = new CopyOnWriteArrayList<>();
        ExecutorService submitters = Executors.newFixedThreadPool(artifacts.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < artifacts.size(); i++) {
                String sha = artifacts.get(i);
                FarmApi api = apis.get(i % 2);
                running.add(submitters.submit(() -> submitInBursts(api, sha, submitted, deletedWhileIdle)));
            }
            for (Future<?> r : running) {
                r.get();
            }
            database.awaitAllJobsFinished(Duration.ofMinutes(5), first.describe() + ", " + second.describe());
            awaitPruned(kept);
        } finally {
            submitters.shutdown();
            watch.stop.set(true);
            watcher.join();
        }

        assertEquals(List.of(), watch.violations, "nothing referenced was lost");
        assertTrue(submitted.size() > 100, "jobs submitted: " + submitted.size());
        List<String> notSeenPassing = submitted.keySet().stream()
                .filter(id -> !"PASSED".equals(watch.lastState.get(id))).toList();
        assertEquals(List.of(), notSeenPassing, "every job was seen PASSED before it was pruned");
        assertEquals("0", database.query("select count(*) from job"));
        assertEquals("0", database.query("select count(*) from attempt"));
        assertEquals("0", database.query("select count(*) from check_result"));
        assertEquals("0", database.query("select count(*) from job_event"));
        assertEquals(kept, database.query("select sha256 from artifact"), "only the suite's artifact is kept");
        assertEquals(database.query("select count(*) from artifact_chunk"),
                database.query("select count(*) from artifact_chunk where sha256 = '" + kept + "'"));
        System.out.printf("retention on PostgreSQL: %d jobs, %d artifacts deleted while their submitter idled"
                        + " (%s), max dispatch latency seen %.3f s; batches: first %s, second %s%n",
                submitted.size(), deletedWhileIdle.size(), deletedWhileIdle, watch.maxDispatchSeconds,
                batchTimes(first), batchTimes(second));
    }

    /**
     * Bursts of jobs on one artifact with idle gaps of 1 to 8 s, long enough at times for all its jobs to finish,
     * be pruned and leave it an orphan that is deleted too; the burst that then finds it gone ends the loop.
     */
    private static void submitInBursts(FarmApi api, String sha, Map<String, Boolean> submitted,
                                       List<String> deletedWhileIdle) {
        Instant until = Instant.now().plus(SUBMITTING);
        while (Instant.now().isBefore(until)) {
            for (int j = 0; j < 15; j++) {
                HttpResponse<String> r = api.post("/api/v1/jobs", FarmApi.resolveJob(sha, CHECKS));
                if (r.statusCode() == 404) {
                    deletedWhileIdle.add(sha.substring(0, 12));
                    return;
                }
                assertEquals(201, r.statusCode(), r.body());
                submitted.put(FarmApi.parse(r.body()).get("id").asText(), true);
            }
            Farm.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(1000, 8000)));
        }
    }

    private void awaitPruned(String kept) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!(database.query("select count(*) from job").equals("0")
                && database.query("select sha256 from artifact").equals(kept))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not pruned within 60 s: " + database.query("select count(*) from job")
                        + " jobs, artifacts " + database.query("select sha256 from artifact"));
            }
            Farm.sleep(Duration.ofMillis(500));
        }
    }

    /** The stubs program with a tail of its own after its last section: the same checks, a different sha256. */
    private static Path distinctStubs(int index) {
        try {
            Path copy = Farm.workDir().resolve("stubs-" + index + "-" + UUID.randomUUID());
            byte[] bytes = Files.readAllBytes(GoBinaries.build("stubs", "amd64"));
            byte[] tail = ("tail " + index + " " + UUID.randomUUID()).getBytes();
            byte[] all = new byte[bytes.length + tail.length];
            System.arraycopy(bytes, 0, all, 0, bytes.length);
            System.arraycopy(tail, 0, all, bytes.length, tail.length);
            return Files.write(copy, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The coordinator's retention batch timer from its Prometheus series: count and the slowest. */
    private static String batchTimes(Farm farm) {
        String metrics = farm.send(HttpRequest.newBuilder(farm.rest("/q/metrics")).build()).body();
        return metrics.lines().filter(l -> l.startsWith("verifarm_retention_batch_seconds_count")
                        || l.startsWith("verifarm_retention_batch_seconds_max")
                        || l.startsWith("verifarm_retention_batch_seconds_sum"))
                .map(l -> l.replace("verifarm_retention_batch_seconds_", "")).toList().toString();
    }

    /**
     * Polls the database: every job's latest state (a job gone while its latest state was unfinished was lost), and
     * whether an unfinished job's artifact has lost its bytes.
     */
    private final class Watch {
        final Map<String, String> lastState = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger polls = new AtomicInteger();
        volatile double maxDispatchSeconds;

        void run() {
            while (!stop.get()) {
                Map<String, String> now = new ConcurrentHashMap<>();
                String rows = database.query("select id || ' ' || state from job");
                rows.lines().filter(l -> !l.isBlank()).forEach(l -> now.put(l.substring(0, l.indexOf(' ')),
                        l.substring(l.indexOf(' ') + 1)));
                lastState.forEach((id, state) -> {
                    if (!now.containsKey(id) && UNFINISHED.contains("'" + state + "'")) {
                        violations.add("job " + id + " vanished while " + state);
                    }
                });
                lastState.putAll(now);
                String bare = database.query("select count(*) from job j where j.state in " + UNFINISHED
                        + " and j.artifact_sha256 is not null and not exists (select 1 from artifact_chunk c"
                        + " where c.sha256 = j.artifact_sha256 and c.sequence = 0)");
                if (!bare.equals("0")) {
                    violations.add(bare + " unfinished jobs whose artifact has no bytes");
                }
                String dispatch = database.query("select coalesce(max(extract(epoch from a.leased_at"
                        + " - j.submitted_at)), 0) from attempt a join job j on j.id = a.job_id");
                maxDispatchSeconds = Math.max(maxDispatchSeconds, Double.parseDouble(dispatch));
                polls.incrementAndGet();
                Farm.sleep(Duration.ofMillis(200));
            }
        }
    }
}
