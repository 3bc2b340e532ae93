package dev.verifarm.coordinator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.proto.v1.Expectation;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A nightly suite of one uploaded artifact with 50 expectations, run by hand over the REST API on every agent of a
 * {@link LightFleet}: how long from the trigger to the finished run, and how large and how slow to fetch its report
 * is, as JSON and as JUnit XML. The coordinator should look for finished runs every second
 * ({@code verifarm.nightly.check-interval=1s}), or the run's end waits for its next look.
 */
final class NightlyScale {
    private static final int EXPECTATIONS = 50;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(20);

    private final Farm farm;
    private final FarmApi api;
    private final String sha256;
    private final BenchReport report;

    NightlyScale(Farm farm, String sha256, BenchReport report) {
        this.farm = farm;
        this.api = new FarmApi(farm);
        this.sha256 = sha256;
        this.report = report;
    }

    void measure(LightFleet fleet) {
        String suite = "bench-" + fleet.size();
        List<Map<String, String>> expectations = JobLoad.expectations(EXPECTATIONS).stream()
                .map(NightlyScale::spelling).toList();
        HttpResponse<String> put = api.put("/api/v1/suites/" + suite, Map.of("schedule", "0 0 2 * * ?",
                "deadline", "1h", "entries", List.of(Map.of("artifact", Map.of("sha256", sha256),
                        "expectations", expectations))));
        assertEquals(200, put.statusCode(), put.body());

        long t0 = System.nanoTime();
        HttpResponse<String> trigger = api.post("/api/v1/suites/" + suite + "/runs", Map.of());
        assertEquals(201, trigger.statusCode(), trigger.body());
        long triggered = System.nanoTime();
        String runId = FarmApi.parse(trigger.body()).get("id").asText();
        JsonNode run = awaitFinished(suite, t0);
        long finished = System.nanoTime();

        Fetch json = fetch("/api/v1/nightly-runs/" + runId);
        Fetch junit = fetch("/api/v1/nightly-runs/" + runId + "/junit");
        report.line("%d agents: nightly suite of %d expectations: trigger call %.2f s, trigger to finished %.1f s"
                        + " (%d of %d cells passed); report JSON %.1f KiB fetched in %s; JUnit XML %.1f KiB fetched"
                        + " in %s", fleet.size(), EXPECTATIONS, (triggered - t0) / 1e9, (finished - t0) / 1e9,
                run.at("/summary/passed").asInt(), run.at("/summary/cells").asInt(), json.bytes / 1024.0,
                json.times(), junit.bytes / 1024.0, junit.times());
    }

    /** The newest run of the suite once it has finished: the runs list, not the report, which grows with the run. */
    private JsonNode awaitFinished(String suite, long t0) {
        while (System.nanoTime() - t0 < RUN_LIMIT.toNanos()) {
            JsonNode newest = api.get("/api/v1/suites/" + suite + "/runs?limit=1").get(0);
            if ("FINISHED".equals(newest.get("state").asText())) {
                return newest;
            }
            Farm.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("the run of " + suite + " did not finish within " + RUN_LIMIT + "; "
                + farm.describe());
    }

    /** A report's size and its fetch times: the first, then two more. */
    private record Fetch(long bytes, long[] nanos) {
        String times() {
            return String.format("%d, %d, %d ms", nanos[0] / 1_000_000, nanos[1] / 1_000_000, nanos[2] / 1_000_000);
        }
    }

    private Fetch fetch(String path) {
        long[] nanos = new long[3];
        long bytes = 0;
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = farm.send(HttpRequest.newBuilder(farm.rest(path)).build());
            nanos[i] = System.nanoTime() - t0;
            assertEquals(200, r.statusCode(), r.body());
            bytes = r.body().getBytes(StandardCharsets.UTF_8).length;
        }
        return new Fetch(bytes, nanos);
    }

    private static Map<String, String> spelling(Expectation expectation) {
        return Map.of("resolve", expectation.getResolver() + "=" + expectation.getTarget());
    }
}
