package dev.verifarm.coordinator.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verifarm.coordinator.nightly.report.NightlyReport;
import dev.verifarm.coordinator.nightly.report.Outcome;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class NightlyRunsTest {
    @Inject
    NightlyRuns runs;
    @Inject
    NightlyReports reports;

    @Test
    void twoConcurrentStartsOfTheSameScheduledRunStartItOnce() throws Exception {
        Suite suite = suite();
        Instant at = Instant.parse("2026-11-25T02:00:00Z");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Optional<RunSummary>>> attempts = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return runs.start(suite, at, NightlyRuns.Trigger.SCHEDULE);
                })).toList();
        go.countDown();
        long started = 0;
        for (CompletableFuture<Optional<RunSummary>> attempt : attempts) {
            started += attempt.get().isPresent() ? 1 : 0;
        }
        assertEquals(1, started);
        assertEquals(1, runs.runs(suite.name(), 10).size());
        assertEquals(Optional.empty(), runs.start(suite, at, NightlyRuns.Trigger.SCHEDULE), "a late third attempt");
    }

    @Test
    void anEntryNoLiveAgentServesIsReportedAndTheRunFinishes() {
        Suite suite = suite();
        RunSummary run = runs.start(suite, Instant.now(), NightlyRuns.Trigger.MANUAL).orElseThrow();
        runs.settle();
        NightlyReport report = reports.report(run.id());
        assertEquals("FINISHED", report.state());
        assertEquals(1, report.matrix().size());
        assertEquals(Outcome.NOT_FINISHED, report.matrix().get(0).outcome());
        assertEquals("no live agent serves amd64", report.matrix().get(0).reason());
        assertEquals(1, report.summary().errors());
    }

    private static Suite suite() {
        try {
            return SuiteDocument.read(new ObjectMapper().readTree("""
                    {"name": "claim-%s", "schedule": "0 0 2 * * ?", "entries": [{
                      "artifact": {"hostPath": {"path": "/opt/verifarm/x", "architecture": "amd64"}},
                      "expectations": [{"resolve": "main.addrOfMemcpyish=main.memcpyish"}]}]}
                    """.formatted(UUID.randomUUID().toString().substring(0, 8))), Optional.empty());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
