package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Cleanup;
import dev.verifarm.coordinator.harness.Cli;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several coordinators, one fleet, with real processes: two coordinators of the PostgreSQL build on a real
 * PostgreSQL server, sharing nothing else (each has its own artifact directory), agent host1 connected to the
 * first and host2 to the second, each given both addresses. Every coordinator lists both agents; a fleet-wide job
 * and nightly runs triggered through either coordinator or by the schedule cover both hosts with nobody absent;
 * an artifact uploaded through one is checked by the other's agent; and when the first coordinator is killed with
 * SIGKILL mid-run, its agent moves to the second and the run finishes every cell exactly once. Each test has a
 * database, coordinators and agents of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeveralCoordinatorsIT {
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final String CHECK = "main.addrOfMemcpyish=main.memcpyish";
    private static final Set<String> HOSTS = Set.of("host1", "host2");

    private PostgresServer database;
    private Farm first;
    private Farm second;
    private FarmApi viaFirst;
    private FarmApi viaSecond;
    private Path secondArtifacts;
    private String sha;

    @BeforeEach
    void start() {
        database = PostgresServer.start();
        String[] settings = {"-Dverifarm.nightly.check-interval=1s", "-Dverifarm.agent.heartbeat-interval=500ms",
                "-Dverifarm.fleet.refresh-interval=500ms", "-Dverifarm.fleet.coordinator-silence-limit=5s",
                "-Dverifarm.metrics.queue-refresh-interval=500ms"};
        first = Farm.startOnPostgres(database, Farm.workDir().resolve("artifacts-" + UUID.randomUUID()), settings);
        secondArtifacts = Farm.workDir().resolve("artifacts-" + UUID.randomUUID());
        second = Farm.startOnPostgres(database, secondArtifacts, settings);
        viaFirst = new FarmApi(first);
        viaSecond = new FarmApi(second);
        String firstAddress = "127.0.0.1:" + first.grpcPort();
        String secondAddress = "127.0.0.1:" + second.grpcPort();
        first.startAgent("host1", "amd64", first.createToken("host1", "agent"),
                "--coordinator", firstAddress + "," + secondAddress, "--host-path-root", "/usr/bin");
        second.startAgent("host2", "amd64", second.createToken("host2", "agent"),
                "--coordinator", secondAddress + "," + firstAddress, "--host-path-root", "/usr/bin");
        for (FarmApi api : List.of(viaFirst, viaSecond)) {
            api.awaitAgents(names -> names.containsAll(HOSTS), "list both hosts");
        }
        sha = viaFirst.upload(GoBinaries.build("stubs", "amd64"), "stubs-amd64").get("sha256").asText();
    }

    @AfterEach
    void stop() {
        Cleanup.closeAll(first, second, database);
    }

    @Test
    void eachHostIsConnectedToADifferentCoordinator() {
        Map<String, String> coordinatorOf = viaSecond.coordinatorOfAgents();
        assertEquals(HOSTS, coordinatorOf.keySet());
        assertNotEquals(coordinatorOf.get("host1"), coordinatorOf.get("host2"), coordinatorOf.toString());
        assertEquals(coordinatorOf, viaFirst.coordinatorOfAgents());
    }

    @Test
    void everyCoordinatorListsEveryLiveAgentOverRestGrpcTheDashboardAndMetrics() {
        for (Farm farm : List.of(first, second)) {
            FarmApi api = new FarmApi(farm);
            assertEquals(HOSTS, new TreeSet<>(api.agentNames()), farm.describe());
            assertEquals(2, api.agentNames().size(), "each agent once: " + api.agentNames());
            Cli.Run cli = Cli.run(farm, "agents");
            assertEquals(0, cli.exitStatus(), cli.toString());
            assertTrue(cli.stdout().contains("host1") && cli.stdout().contains("host2"), cli.toString());
            HttpResponse<String> dashboard = farm.send(HttpRequest.newBuilder(farm.rest("/")).build());
            assertEquals(200, dashboard.statusCode(), dashboard.body());
            assertTrue(dashboard.body().contains("host1") && dashboard.body().contains("host2"), dashboard.body());
            awaitMetric(farm, "verifarm_agents_connected{architecture=\"amd64\"}", 2);
        }
    }

    @Test
    void aFleetWideJobRunsOnceOnEveryHostWhicheverCoordinatorPlacedIt() {
        JsonNode job = runFleetWideJob();
        assertEquals("PASSED", job.get("state").asText(), job.toPrettyString());
        List<String> ranOn = new ArrayList<>();
        for (JsonNode attempt : job.get("attempts")) {
            assertEquals("FINISHED", attempt.get("state").asText(), job.toPrettyString());
            assertEquals("MATCH", attempt.at("/results/0/verdict").asText(), job.toPrettyString());
            ranOn.add(attempt.get("agentName").asText());
        }
        assertEquals(List.of("host1", "host2"), ranOn.stream().sorted().toList(), job.toPrettyString());
    }

    @Test
    void anArtifactUploadedThroughOneCoordinatorIsServedByTheOtherFromTheDatabase() throws Exception {
        runFleetWideJob();
        // the upload went through the first; host2 downloaded it from the second, which shares no directory
        Path cached = secondArtifacts.resolve(sha);
        assertTrue(Files.isRegularFile(cached), "the second coordinator cached it from the database: " + cached);
        assertEquals(sha, FarmApi.sha256(cached));
        assertTrue(Integer.parseInt(database.query("select count(*) from artifact_chunk where sha256 = '" + sha
                + "'")) >= 1);
    }

    @Test
    void runsTriggeredThroughEitherCoordinatorOrByTheScheduleCoverBothHosts() {
        putSuite(viaFirst, "fleet", "0 0 2 * * ?", uploadedEntry());
        assertCoversBothHosts(awaitRun(viaFirst, trigger(viaFirst, "fleet")), "triggered through the first");
        assertCoversBothHosts(awaitRun(viaSecond, trigger(viaSecond, "fleet")), "triggered through the second");

        ZonedDateTime soon = Instant.now().plusSeconds(6).atZone(ZoneOffset.UTC);
        putSuite(viaSecond, "fleet", "%d %d %d * * ?".formatted(soon.getSecond(), soon.getMinute(), soon.getHour()),
                uploadedEntry());
        String scheduled = awaitSuiteRun(viaFirst, "fleet", run -> run.get("trigger").asText().equals("SCHEDULE"));
        assertCoversBothHosts(awaitRun(viaFirst, scheduled), "started by the schedule");
        assertEquals("1", database.query("select count(*) from nightly_run where trigger_kind = 'SCHEDULE'"),
                "the schedule fired once across both coordinators");
    }

    @Test
    void aCoordinatorKilledMidRunLeavesEveryCellFinishedExactlyOnceByTheOther() {
        // cat never answers the probe: each cell runs until the probe's time limit, long enough to kill mid-run
        putSuite(viaSecond, "slow", "0 0 2 * * ?", Map.of("artifact", Map.of("hostPath", Map.of(
                "path", "/usr/bin/cat", "architecture", "amd64")), "mode", "native",
                "expectations", List.of(Map.of("resolve", CHECK))));
        String runId = trigger(viaSecond, "slow");
        awaitCells(runId, "RUNNING", 2);

        first.crashCoordinator();

        viaSecond.awaitAgents(names -> names.containsAll(HOSTS) && names.size() == 2,
                "list host1, moved to the second coordinator, once");
        JsonNode report = awaitRun(viaSecond, runId);
        assertCoversBothHosts(report, "a run whose first coordinator died");
        for (JsonNode row : report.get("matrix")) {
            assertNotEquals("NOT_FINISHED", row.get("outcome").asText(), report.toPrettyString());
        }
        String cells = "select j.id from nightly_cell c join job j on j.id = c.job_id where c.run_id = '" + runId + "'";
        assertEquals("2", database.query("select count(*) from (" + cells + ") jobs"));
        // each cell has a report (none is NOT_FINISHED), so two finished attempts in all is one per cell
        assertEquals("2", database.query("select count(*) from attempt where state = 'FINISHED' and job_id in ("
                + cells + ")"), database.query("select job_id, number, agent_name, state from attempt where job_id"
                + " in (" + cells + ")"));
        assertEquals("2", database.query("select count(*) from check_result r join attempt a on a.id = r.attempt_id"
                + " where a.job_id in (" + cells + ")"), "one result per cell, counted once: "
                + database.query("select job_id, number, agent_name, state from attempt where job_id in (" + cells
                + ")"));
        Map<String, String> coordinatorOf = viaSecond.coordinatorOfAgents();
        assertEquals(coordinatorOf.get("host2"), coordinatorOf.get("host1"), "host1 moved to the second");
    }

    /** A fleet-wide job on the uploaded stubs, placed through the second coordinator; the job once finished. */
    private JsonNode runFleetWideJob() {
        return viaSecond.awaitFinished(viaSecond.submit(Map.of("artifact", Map.of("sha256", sha),
                "fleetWide", true, "expectations", List.of(Map.of("kind", "resolve",
                        "resolver", "main.addrOfMemcpyish", "target", "main.memcpyish")))).get("id").asText(), LIMIT);
    }

    private Map<String, Object> uploadedEntry() {
        return Map.of("artifact", Map.of("sha256", sha), "expectations", List.of(Map.of("resolve", CHECK)));
    }

    private static void putSuite(FarmApi api, String name, String schedule, Map<String, Object> entry) {
        HttpResponse<String> put = api.put("/api/v1/suites/" + name, Map.of("schedule", schedule, "deadline", "5m",
                "entries", List.of(entry)));
        assertEquals(200, put.statusCode(), put.body());
    }

    private static String trigger(FarmApi api, String suite) {
        HttpResponse<String> run = api.post("/api/v1/suites/" + suite + "/runs", Map.of());
        assertEquals(201, run.statusCode(), run.body());
        return FarmApi.parse(run.body()).get("id").asText();
    }

    /** The report of the run once it has finished. */
    private JsonNode awaitRun(FarmApi api, String runId) {
        Instant deadline = Instant.now().plus(LIMIT);
        JsonNode report = api.get("/api/v1/nightly-runs/" + runId);
        while (!report.path("state").asText().equals("FINISHED")) {
            assertTrue(Instant.now().isBefore(deadline), "run " + runId + " did not finish: " + report + "; "
                    + first.describe() + ", " + second.describe());
            Farm.sleep(Duration.ofMillis(500));
            report = api.get("/api/v1/nightly-runs/" + runId);
        }
        return report;
    }

    private String awaitSuiteRun(FarmApi api, String suite, Predicate<JsonNode> which) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode run : api.get("/api/v1/suites/" + suite + "/runs")) {
                if (which.test(run)) {
                    return run.get("id").asText();
                }
            }
            Farm.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("no such run of " + suite + ": " + api.get("/api/v1/suites/" + suite + "/runs"));
    }

    /** Waits until {@code count} of the run's jobs are in {@code state}. */
    private void awaitCells(String runId, String state, int count) {
        Instant deadline = Instant.now().plus(LIMIT);
        String query = "select count(*) from nightly_cell c join job j on j.id = c.job_id where c.run_id = '" + runId
                + "' and j.state = '" + state + "'";
        while (!database.query(query).equals(String.valueOf(count))) {
            assertTrue(Instant.now().isBefore(deadline), "the run's jobs: " + database.query("select j.state,"
                    + " j.status from nightly_cell c join job j on j.id = c.job_id where c.run_id = '" + runId + "'"));
            Farm.sleep(Duration.ofMillis(200));
        }
    }

    /** One row per host, nobody absent. */
    private static void assertCoversBothHosts(JsonNode report, String run) {
        List<String> agents = new ArrayList<>();
        report.get("matrix").forEach(row -> agents.add(row.get("agent").asText()));
        assertEquals(List.of("host1", "host2"), agents.stream().sorted().toList(), run + ": " + report.toPrettyString());
        assertEquals(0, report.get("absent").size(), run + ": " + report.toPrettyString());
        assertEquals(0, report.at("/summary/absent").asInt(), run + ": " + report.toPrettyString());
    }

    private static void awaitMetric(Farm farm, String series, double expected) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        double value = Double.NaN;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> scrape = farm.send(HttpRequest.newBuilder(farm.rest("/q/metrics")).build());
            value = scrape.body().lines().filter(l -> l.startsWith(series + " ")).findFirst()
                    .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElse(Double.NaN);
            if (value == expected) {
                return;
            }
            Farm.sleep(Duration.ofMillis(250));
        }
        throw new AssertionError(series + " is " + value + ", not " + expected + "; " + farm.describe());
    }
}
