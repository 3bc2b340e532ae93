package dev.verifarm.coordinator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Cli;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hazard scan through the farm, with real processes: a job with {@code hazards: true} for a program built like
 * gVisor's safecopy before its fix fails with each user hazard and its stub in the report, on the job page and in
 * {@code verifarm submit --hazards}; the fixed program passes; a nightly suite entry with {@code hazards: true} reports a hazard that appears as a
 * regression and one that goes as a recovery.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazardsEndToEndIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> USER_HAZARDS = List.of("main.loadUint32", "main.memclr", "main.memcpy",
            "main.swapUint32", "main.swapUint64");

    private Farm farm;
    private FarmApi api;
    private Path broken;
    private Path fixed;

    @BeforeAll
    void startFarm() {
        broken = GoBinaries.build("safecopy", "amd64");
        fixed = GoBinaries.buildTagged("safecopy", "fixed", "amd64");
        farm = Farm.start("-Dverifarm.nightly.check-interval=1s");
        api = new FarmApi(farm);
        farm.startAgent("native-amd64", "amd64");
        api.awaitAgents(names -> names.size() >= 1, "register");
    }

    @AfterAll
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aRestJobWithHazardsFailsOnTheUserHazardsWithTheirStubs() {
        JsonNode job = api.awaitFinished(submitBrokenWithHazards(), TIMEOUT);

        assertEquals("FAILED", job.get("state").asText(), job.toString());
        assertTrue(job.get("hazards").asBoolean());
        assertTrue(job.get("status").asText().contains("user hazards: main.loadUint32"), job.get("status").asText());
        JsonNode report = job.at("/attempts/0/report");
        List<String> user = new ArrayList<>();
        for (JsonNode h : report.get("hazards")) {
            if (h.get("scope").asText().equals("user")) {
                user.add(h.get("function").asText());
                assertEquals("main.addrOf" + Character.toUpperCase(h.get("function").asText().charAt(5))
                        + h.get("function").asText().substring(6), h.at("/fix/stub").asText());
            }
        }
        assertEquals(USER_HAZARDS, user);
    }

    @Test
    void theJobPageShowsEachHazardWithItsFix() {
        String brokenJobId = submitBrokenWithHazards();
        api.awaitFinished(brokenJobId, TIMEOUT);
        HttpResponse<String> page = farm.send(HttpRequest.newBuilder(farm.rest("/jobs/" + brokenJobId)).build());

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("user hazard: main.memcpy"), page.body());
        assertTrue(page.body().contains("TEXT ·addrOfMemcpy(SB), NOSPLIT, $0-8"), page.body());
        assertTrue(page.body().contains("--resolve main.addrOfMemcpy=main.memcpy"), page.body());
    }

    @Test
    void aGrpcJobWithHazardsOnTheFixedProgramPasses() {
        String sha = api.upload(fixed, "safecopy-fixed-amd64").get("sha256").asText();
        var submission = SubmissionServiceGrpc.newBlockingStub(farm.channel());
        Job job = submission.submitJob(SubmitJobRequest.newBuilder()
                .setArtifact(ArtifactSource.newBuilder().setSha256(sha)).setHazards(true).build());
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!List.of(Job.State.PASSED, Job.State.FAILED, Job.State.ERROR).contains(job.getState())
                && Instant.now().isBefore(deadline)) {
            Farm.sleep(Duration.ofMillis(300));
            job = submission.getJob(GetJobRequest.newBuilder().setJobId(job.getId()).build());
        }

        assertEquals(Job.State.PASSED, job.getState(), job.toString());
        assertTrue(job.getHazards());
        var report = job.getAttempts(job.getAttemptsCount() - 1).getReport();
        assertTrue(report.getHazardsScanned());
        assertTrue(report.getHazardsList().stream().noneMatch(h -> h.getScope().equals("user")), report.toString());
    }

    @Test
    void theCliSubmitsWithHazardsAndShowsEachUserHazardWithItsStub() {
        Cli.Run run = Cli.run(farm, "submit", broken.toString(), "--hazards", "--watch");

        assertEquals(1, run.exitStatus(), run.toString());
        assertTrue(run.stdout().contains("hazards: 5 user"), run.toString());
        assertTrue(run.stdout().contains("HAZARD          main.memcpy taken in main.init.0"), run.toString());
        assertTrue(run.stdout().contains("fix: main.addrOfMemcpy(), then --resolve main.addrOfMemcpy=main.memcpy"),
                run.toString());
    }

    @Test
    void aNightlyHazardThatAppearsIsARegressionAndOneThatGoesARecovery() throws IOException {
        Path host = Files.createDirectories(Farm.workDir().resolve("hazards-" + UUID.randomUUID()));
        Path hostFile = Files.copy(fixed, host.resolve("safecopy"));
        HttpResponse<String> put = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/suites/hazards"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("""
                        {"schedule": "0 0 2 * * ?", "deadline": "5m", "entries": [
                          {"artifact": {"hostPath": {"path": "%s", "architecture": "amd64"}}, "hazards": true}]}
                        """.formatted(hostFile))).build());
        assertEquals(200, put.statusCode(), put.body());

        JsonNode night1 = night();
        assertEquals(List.of("hazards MATCH"), cells(night1));
        Files.copy(broken, hostFile, StandardCopyOption.REPLACE_EXISTING);
        JsonNode night2 = night();
        Files.copy(fixed, hostFile, StandardCopyOption.REPLACE_EXISTING);
        JsonNode night3 = night();

        List<String> expectedRows = new ArrayList<>(List.of("hazards MATCH"));
        USER_HAZARDS.forEach(f -> expectedRows.add("hazard " + f + " WRAPPER"));
        assertEquals(expectedRows.stream().sorted().toList(), cells(night2));
        assertEquals(USER_HAZARDS.stream().map(f -> "hazard " + f + " MATCH->WRAPPER").toList(),
                changes(night2.get("regressions")));
        assertEquals(USER_HAZARDS.stream().map(f -> "hazard " + f + " WRAPPER->MATCH").toList(),
                changes(night3.get("recoveries")));
        HttpResponse<String> junit = farm.send(HttpRequest.newBuilder(
                farm.rest("/api/v1/nightly-runs/" + night2.get("runId").asText() + "/junit")).build());
        assertTrue(junit.body().contains("hazard main.memcpy") && junit.body().contains("<failure"), junit.body());
    }

    /** Uploads the program built as safecopy was before its fix and submits it with hazards; returns the job's id. */
    private String submitBrokenWithHazards() {
        String sha = api.upload(broken, "safecopy-amd64").get("sha256").asText();
        return api.submit(Map.of("artifact", Map.of("sha256", sha), "hazards", true)).get("id").asText();
    }

    private JsonNode night() {
        HttpResponse<String> trigger = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/suites/hazards/runs"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, trigger.statusCode(), trigger.body());
        return api.awaitNightlyRun(FarmApi.parse(trigger.body()).get("id").asText(), TIMEOUT);
    }

    private static List<String> cells(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("matrix").forEach(r -> out.add(r.get("expectation").asText() + " " + r.get("outcome").asText()));
        return out.stream().sorted().toList();
    }

    private static List<String> changes(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(c -> out.add(c.get("expectation").asText() + " " + c.get("before").asText() + "->"
                + c.get("now").asText()));
        return out.stream().sorted().toList();
    }
}
