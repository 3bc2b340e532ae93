package dev.verifarm.coordinator.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The REST calls end-to-end tests make on a {@link Farm}, each asserting the status a success has. */
public final class FarmApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FINAL_STATES = List.of("PASSED", "FAILED", "ERROR", "CANCELLED", "TIMED_OUT");

    private final Farm farm;

    public FarmApi(Farm farm) {
        this.farm = farm;
    }

    public JsonNode upload(Path binary, String name) {
        HttpResponse<String> r = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=" + name
                        + "&sha256=" + sha256(binary)))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(read(binary))).build());
        assertEquals(201, r.statusCode(), r.body());
        return parse(r.body());
    }

    /** Submits {@code body} (the JSON of a job) and returns the job as created. */
    public JsonNode submit(Map<String, ?> body) {
        HttpResponse<String> r = post("/api/v1/jobs", body);
        assertEquals(201, r.statusCode(), r.body());
        return parse(r.body());
    }

    /** The job body for RESOLVE checks {@code resolver → target} on an uploaded artifact. */
    public static Map<String, Object> resolveJob(String sha256, Map<String, String> checks) {
        List<Map<String, String>> expectations = new ArrayList<>();
        checks.forEach((resolver, target) -> expectations.add(Map.of("kind", "resolve", "resolver", resolver,
                "target", target)));
        return Map.of("artifact", Map.of("sha256", sha256), "expectations", expectations);
    }

    /** Submits {@code count} copies of {@code body}, spread in turn over {@code apis}, from 4 threads. */
    public static void submitAll(List<FarmApi> apis, int count, Map<String, ?> body) throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> submissions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                FarmApi api = apis.get(i % apis.size());
                submissions.add(submitters.submit(() -> api.submit(body)));
            }
            for (Future<?> submission : submissions) {
                submission.get();
            }
        } finally {
            submitters.shutdown();
        }
    }

    public HttpResponse<String> post(String path, Object body) {
        return sendJson("POST", path, body);
    }

    public HttpResponse<String> put(String path, Object body) {
        return sendJson("PUT", path, body);
    }

    private HttpResponse<String> sendJson(String method, String path, Object body) {
        try {
            return farm.send(HttpRequest.newBuilder(farm.rest(path)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode job(String id) {
        return get("/api/v1/jobs/" + id);
    }

    public JsonNode agents() {
        return get("/api/v1/agents");
    }

    public List<String> agentNames() {
        List<String> names = new ArrayList<>();
        agents().forEach(a -> names.add(a.get("name").asText()));
        return names;
    }

    /** Which coordinator each listed agent is connected to (its coordinatorId), by agent name. */
    public Map<String, String> coordinatorOfAgents() {
        Map<String, String> coordinators = new TreeMap<>();
        agents().forEach(a -> coordinators.put(a.get("name").asText(), a.get("coordinatorId").asText()));
        return coordinators;
    }

    /** How many leases each listed agent runs, as the coordinator holding its stream counts them, by agent name. */
    public Map<String, Integer> runningByAgent() {
        Map<String, Integer> running = new TreeMap<>();
        agents().forEach(a -> running.put(a.get("name").asText(), a.get("running").asInt()));
        return running;
    }

    public JsonNode get(String path) {
        HttpResponse<String> r = farm.send(HttpRequest.newBuilder(farm.rest(path)).build());
        assertEquals(200, r.statusCode(), r.body());
        return parse(r.body());
    }

    public JsonNode awaitFinished(String id, Duration limit) {
        return awaitJob(id, limit, job -> FINAL_STATES.contains(job.get("state").asText()), "finish");
    }

    /** Polls the job until {@code condition} holds; fails naming {@code what} after {@code limit}. */
    public JsonNode awaitJob(String id, Duration limit, Predicate<JsonNode> condition, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = job(id);
            if (condition.test(job)) {
                return job;
            }
            Farm.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("job " + id + " did not " + what + " within " + limit + ": " + job(id) + "; "
                + farm.describe());
    }

    /** Polls a nightly run until it is FINISHED and returns its report. */
    public JsonNode awaitNightlyRun(String runId, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        JsonNode report = null;
        while (Instant.now().isBefore(deadline)) {
            report = get("/api/v1/nightly-runs/" + runId);
            if ("FINISHED".equals(report.path("state").asText())) {
                return report;
            }
            Farm.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("run " + runId + " did not finish: " + report + "; " + farm.describe());
    }

    public void awaitAgents(Predicate<List<String>> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (condition.test(agentNames())) {
                return;
            }
            Farm.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("the agents did not " + what + " within 60 s: " + agentNames() + "; "
                + farm.describe());
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(read(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }
}
