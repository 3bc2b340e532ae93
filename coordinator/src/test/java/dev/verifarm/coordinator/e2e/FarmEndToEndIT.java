package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.UploadHeader;
import dev.verifarm.proto.v1.WatchJobRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A coordinator and two agents as real processes on loopback — one native amd64, one serving arm64 through
 * qemu-user — run real jobs on real Go binaries, submitted over REST and gRPC; the stored verdicts must be what the
 * toolchain says. Each test has a farm of its own, with the native agent; a test that needs an arm64 agent starts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FarmEndToEndIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    /** RESOLVE checks of the stubs fixture: resolver → target. */
    private static final Map<String, String> CHECKS = new LinkedHashMap<>(Map.of(
            "main.addrOfMemcpyish", "main.memcpyish",
            "main.addrOfWrong", "main.memcpyish",
            "main.addrOfEscaping", "main.escaping"));

    private Farm farm;
    private FarmApi api;
    private Path amd64;
    private Path arm64;

    @BeforeAll
    void buildBinaries() {
        amd64 = GoBinaries.build("stubs", "amd64");
        arm64 = GoBinaries.build("stubs", "arm64");
    }

    @BeforeEach
    void startFarm() {
        // quick heartbeats so that a frozen agent is noticed within seconds
        farm = Farm.start("-Dverifarm.agent.heartbeat-interval=500ms", "-Dverifarm.agent.silence-limit=3s");
        api = new FarmApi(farm);
        farm.startAgent("native-amd64", "amd64");
        api.awaitAgents(names -> names.size() >= 1, "register");
    }

    @AfterEach
    void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void aJobForAnArchitectureWithNoAgentWaitsAndSaysWhy() {
        submitWaitingArm64Job();
    }

    @Test
    void theWaitingJobRunsWhenAnAgentServingItsArchitectureRegisters() throws IOException {
        String waitingJobId = submitWaitingArm64Job();
        farm.startAgent("qemu-arm64", "arm64");
        JsonNode job = api.awaitFinished(waitingJobId, JOB_TIMEOUT);
        JsonNode attempt = job.get("attempts").get(job.get("attempts").size() - 1);
        assertEquals("qemu-arm64", attempt.get("agentName").asText());
        assertVerdictsAreTheToolchains(arm64, "arm64", attempt.get("results"));
        JsonNode report = attempt.get("report");
        assertEquals("ARM64", report.at("/artifact/architecture").asText());
        assertTrue(report.at("/results/0/evidence/resolverCode").size() > 0, "the evidence travels with the result");
    }

    @Test
    void aJobSubmittedOverRestForAnAmd64BinaryRunsOnTheNativeAgent() throws IOException {
        String sha = api.upload(amd64, "stubs-amd64").get("sha256").asText();
        JsonNode job = api.awaitFinished(api.submit(FarmApi.resolveJob(sha, CHECKS)).get("id").asText(),
                JOB_TIMEOUT);
        JsonNode attempt = job.get("attempts").get(job.get("attempts").size() - 1);
        assertEquals("native-amd64", attempt.get("agentName").asText());
        assertEquals("FAILED", job.get("state").asText(), "addrOfWrong is a MISMATCH, so the job fails");
        assertVerdictsAreTheToolchains(amd64, "amd64", attempt.get("results"));
    }

    @Test
    void jobsSubmittedOverGrpcForBothArchitecturesAreWatchedToTheToolchainsVerdicts() throws Exception {
        farm.startAgent("qemu-arm64", "arm64");
        for (Path binary : List.of(amd64, arm64)) {
            String goarch = binary == amd64 ? "amd64" : "arm64";
            ArtifactRef artifact = uploadGrpc(binary, FarmApi.sha256(binary));
            assertEquals(goarch.toUpperCase(), artifact.getArchitecture().name());
            Job submitted = submission().submitJob(grpcJob(artifact.getSha256()));
            Iterator<JobEvent> events = submission().withDeadlineAfter(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .watchJob(WatchJobRequest.newBuilder().setJobId(submitted.getId()).build());
            JobEvent last = null;
            while (events.hasNext()) {
                last = events.next();
            }
            assertTrue(last != null && last.getState() == Job.State.FAILED, "last event: " + last);
            Job stored = submission().getJob(GetJobRequest.newBuilder().setJobId(submitted.getId()).build());
            List<CheckResult> results = stored.getAttempts(stored.getAttemptsCount() - 1).getReport()
                    .getResultsList();
            Map<String, String> expected = expectedVerdicts(binary, goarch);
            for (CheckResult r : results) {
                assertEquals(expected.get(r.getExpectation().getResolver()), r.getVerdict().name(),
                        goarch + " " + r.getExpectation().getResolver() + ": " + r.getReason());
            }
            assertEquals(CHECKS.size(), results.size());
        }
    }

    @Test
    void aGarbageUploadIsRefusedWithAClearMessage() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        HttpResponse<String> rest = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=garbage"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(garbage)).build());
        assertEquals(400, rest.statusCode(), rest.body());
        assertEquals("{\"error\":\"not an ELF file: it does not start with the magic 7f 45 4c 46\","
                + "\"field\":\"artifact\"}", rest.body());

        StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class,
                () -> uploadGrpc(amd64, "0".repeat(64)));
        assertEquals(Status.Code.INVALID_ARGUMENT, grpc.getStatus().getCode());
        assertTrue(grpc.getStatus().getDescription().startsWith("sha256: the upload hashes to "),
                grpc.getStatus().getDescription());
    }

    @Test
    void a32BitElfIsRefusedAtSubmission() {
        Path binary386 = GoBinaries.build("plain", "386");
        HttpResponse<String> rest = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=plain-386"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(FarmApi.read(binary386))).build());
        assertEquals(400, rest.statusCode(), rest.body());
        assertTrue(rest.body().contains("32-bit ELF file (EI_CLASS=ELFCLASS32)"), rest.body());
    }

    @Test
    void aJobForAnArtifactNeverUploadedIsNotFound() {
        HttpResponse<String> rest = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"artifact\":{\"sha256\":\"" + "a".repeat(64)
                        + "\"},\"expectations\":[{\"kind\":\"resolve\",\"resolver\":\"r\",\"target\":\"t\"}]}"))
                .build());
        assertEquals(404, rest.statusCode(), rest.body());
        assertTrue(rest.body().contains("\"field\":\"artifact.sha256\""), rest.body());
    }

    @Test
    void aFrozenAgentIsDroppedWithinSecondsAndItsWorkRunsOnAnotherAgent() throws Exception {
        String sha = api.upload(arm64, "stubs-arm64").get("sha256").asText();
        Process qemuAgent = farm.startAgent("qemu-arm64", "arm64");
        api.awaitAgents(names -> names.contains("qemu-arm64"), "register qemu-arm64");
        // SIGSTOP keeps the agent's TCP connection open but silences it, as a hung host or a lost network does
        signal("STOP", qemuAgent);
        try {
            String jobId = api.submit(FarmApi.resolveJob(sha, CHECKS)).get("id").asText();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
            while (api.agentNames().contains("qemu-arm64")) {
                assertTrue(Instant.now().isBefore(deadline),
                        "the frozen agent is still listed: " + api.agentNames());
                Farm.sleep(Duration.ofMillis(200));
            }
            farm.startAgent("rescuer-arm64", "arm64");
            JsonNode job = api.awaitFinished(jobId, JOB_TIMEOUT);
            JsonNode attempts = job.get("attempts");
            JsonNode last = attempts.get(attempts.size() - 1);
            assertEquals("rescuer-arm64", last.get("agentName").asText(), job.toString());
            assertVerdictsAreTheToolchains(arm64, "arm64", last.get("results"));
            for (JsonNode attempt : attempts) {
                if (attempt.get("agentName").asText().equals("qemu-arm64")) {
                    assertTrue(!attempt.has("results") || attempt.get("results").isEmpty(),
                            "the lost attempt recorded a result: " + attempt);
                }
            }
        } finally {
            signal("CONT", qemuAgent);
        }
    }

    /**
     * Submits an arm64 job to this farm, which has no arm64 agent: it stays queued and its status says why, naming
     * the agent that does not serve arm64. Returns its id.
     */
    private String submitWaitingArm64Job() {
        String sha = api.upload(arm64, "stubs-arm64").get("sha256").asText();
        String id = api.submit(FarmApi.resolveJob(sha, CHECKS)).get("id").asText();
        Farm.sleep(Duration.ofSeconds(2));
        JsonNode job = api.job(id);
        assertEquals("QUEUED", job.get("state").asText(), farm.describe());
        String status = job.get("status").asText();
        assertTrue(status.contains("waiting for an agent serving arm64") && status.contains("native-amd64"), status);
        return id;
    }

    private static void signal(String signal, Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " failed");
    }

    private void assertVerdictsAreTheToolchains(Path binary, String goarch, JsonNode results) {
        Map<String, String> expected = expectedVerdicts(binary, goarch);
        assertEquals(CHECKS.size(), results.size(), results.toString());
        for (JsonNode r : results) {
            assertEquals(expected.get(r.get("resolver").asText()), r.get("verdict").asText(),
                    goarch + " " + r.get("resolver").asText() + ": " + r.get("reason").asText());
        }
    }

    private static Map<String, String> expectedVerdicts(Path binary, String goarch) {
        Map<String, String> resolved = GoBinaries.resolvedSymbols(binary, goarch);
        Map<String, String> expected = new LinkedHashMap<>();
        CHECKS.forEach((resolver, target) -> expected.put(resolver,
                GoBinaries.expectedVerdict(resolved, resolver, target)));
        // The fixture is built so that both outcomes occur; a truth that says otherwise is a broken fixture.
        assertTrue(expected.containsValue("MATCH") && expected.containsValue("MISMATCH"), expected.toString());
        return expected;
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub submission() {
        return SubmissionServiceGrpc.newBlockingStub(farm.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static SubmitJobRequest grpcJob(String sha) {
        SubmitJobRequest.Builder job = SubmitJobRequest.newBuilder()
                .setArtifact(ArtifactSource.newBuilder().setSha256(sha));
        CHECKS.forEach((resolver, target) -> job.addExpectations(Expectation.newBuilder()
                .setKind(CheckKind.RESOLVE).setResolver(resolver).setTarget(target)));
        return job.build();
    }

    private ArtifactRef uploadGrpc(Path binary, String declaredSha) {
        byte[] bytes = FarmApi.read(binary);
        return farm.upload(UploadHeader.newBuilder().setName(binary.getFileName().toString()).setSize(bytes.length)
                .setSha256(declaredSha).build(), bytes);
    }
}
