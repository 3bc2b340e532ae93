package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.FarmApi;
import dev.verifarm.coordinator.harness.GoBinaries;
import dev.verifarm.coordinator.harness.StreamAgent;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host paths through a real farm: only the roles of the coordinator's policy may name them (admins by default), and
 * an agent reads them only under its {@code --host-path-root} directories (here the work directory, as for every
 * agent of {@link Farm}). A file outside the roots, a missing one, an unreadable one, a directory and a link out of
 * the roots all get one and the same answer, once: it is a verdict, not an infrastructure failure to retry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostPathRootsIT {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final String RESOLVER = "main.addrOfMemcpyish";
    private static final String TARGET = "main.memcpyish";

    private Farm farm;
    private FarmApi api;
    private Path root;
    private Path outside;

    @BeforeAll
    void start() throws IOException {
        farm = Farm.start();
        api = new FarmApi(farm);
        // as root the agent would read any file whatever its mode: it runs without the capabilities that allow it,
        // and so can run no probes (it cannot enter their scratch directories): static checks only
        boolean superuser = "root".equals(System.getProperty("user.name"));
        farm.startAgentThrough(superuser ? List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search")
                : List.of(), "rooted", "amd64", "--static-only");
        api.awaitAgents(names -> names.contains("rooted"), "list the agent");
        root = Files.createDirectories(Farm.workDir().resolve("host-paths-" + UUID.randomUUID()));
        outside = Files.createTempDirectory("verifarm-outside-roots");
    }

    @AfterAll
    void stop() throws IOException {
        if (farm != null) {
            farm.close();
        }
        if (outside != null) {
            Files.deleteIfExists(outside.resolve("stubs"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void onlyTheRolesOfThePolicyMayNameAHostPath() {
        String submitter = farm.createToken("no-host-paths", "submitter");
        HttpResponse<String> rest = farm.sendAsIs(HttpRequest.newBuilder(farm.rest("/api/v1/jobs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + submitter)
                .POST(HttpRequest.BodyPublishers.ofString("{\"artifact\": {\"hostPath\": \"/usr/bin/true\","
                        + " \"architecture\": \"amd64\"}, \"expectations\": [{\"kind\": \"resolve\", \"resolver\": \"a\","
                        + " \"target\": \"b\"}]}")).build());
        assertEquals(403, rest.statusCode(), rest.body());
        assertEquals("artifact.hostPath", FarmApi.parse(rest.body()).path("field").asText(), rest.body());
        StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class, () -> SubmissionServiceGrpc
                .newBlockingStub(farm.channel(submitter)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .submitJob(SubmitJobRequest.newBuilder().setArtifact(ArtifactSource.newBuilder().setHostPath(
                                HostPath.newBuilder().setPath("/usr/bin/true").setArchitecture(Architecture.AMD64)))
                        .addExpectations(Expectation.newBuilder().setKind(CheckKind.RESOLVE)
                                .setResolver("a").setTarget("b")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, grpc.getStatus().getCode());
        assertTrue(grpc.getStatus().getDescription().startsWith("artifact.hostPath: "), grpc.toString());
    }

    @Test
    void anAgentThatReadsNoHostPathsIsNeverLeasedOne() throws Exception {
        try (StreamAgent rootless = StreamAgent.register(farm.channel(farm.createToken("rootless", "agent")),
                "rootless", Architecture.ARM64)) {
            api.awaitAgents(names -> names.contains("rootless"), "list the agent without host-path roots");
            String id = api.submit(Map.of("artifact", Map.of("hostPath", Map.of("path", root.resolve("any").toString(),
                    "architecture", "ARM64")), "expectations", List.of(Map.of("resolve", RESOLVER + "=" + TARGET))))
                    .path("id").asText();
            JsonNode job = api.awaitJob(id, LIMIT, j -> j.path("status").asText().contains("allows host paths"),
                    "say why it waits");
            assertEquals("QUEUED", job.path("state").asText(), job.toString());
            assertEquals("waiting for an agent serving arm64 that allows host paths: none of the 1 agent(s) serving"
                    + " arm64 was started with --host-path-root", job.path("status").asText());
            assertFalse(rootless.receivedALease(), "a host-path job was leased to an agent without roots");
            HttpResponse<String> fleetWide = api.post("/api/v1/jobs", Map.of("artifact", Map.of("hostPath",
                    root.resolve("any").toString(), "architecture", "ARM64"), "fleetWide", true, "discover", true));
            assertEquals(409, fleetWide.statusCode(), fleetWide.body());
            assertEquals("fleetWide", FarmApi.parse(fleetWide.body()).path("field").asText(), fleetWide.body());
            assertTrue(fleetWide.body().contains("was started with --host-path-root"), fleetWide.body());
        }
    }

    @Test
    void aFileUnderARootIsChecked() throws IOException {
        Path stubs = Files.copy(GoBinaries.build("stubs", "amd64"), root.resolve("stubs"));
        JsonNode job = api.awaitFinished(submit(stubs.toString()), LIMIT);
        assertEquals("PASSED", job.path("state").asText(), job.toString());
    }

    @Test
    void outsideTheRootsMissingUnreadableNotAFileOrLinkedOutAnswerAlike() throws IOException {
        Path stubs = GoBinaries.build("stubs", "amd64");
        Path unreadable = Files.copy(stubs, root.resolve("unreadable"));
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        Path elsewhere = Files.copy(stubs, outside.resolve("stubs"));
        Map<String, Path> cases = new LinkedHashMap<>();
        cases.put("outside the roots", elsewhere);
        cases.put("missing", root.resolve("missing"));
        cases.put("unreadable", unreadable);
        cases.put("a directory", Files.createDirectories(root.resolve("directory")));
        cases.put("a link out of the roots", Files.createSymbolicLink(root.resolve("link"), elsewhere));
        cases.put("a system file", Path.of("/etc/passwd"));
        for (Map.Entry<String, Path> c : cases.entrySet()) {
            String path = c.getValue().toString();
            JsonNode job = api.awaitFinished(submit(path), LIMIT);
            assertEquals("ERROR", job.path("state").asText(), c.getKey() + ": " + job);
            assertEquals(Job.State.ERROR, SubmissionServiceGrpc.newBlockingStub(farm.channel())
                    .withDeadlineAfter(30, TimeUnit.SECONDS).getJob(GetJobRequest.newBuilder()
                            .setJobId(job.path("id").asText()).build()).getState(), "the same state over gRPC");
            assertEquals(1, job.path("attempts").size(), c.getKey() + " is not retried: " + job);
            assertEquals("the host path '" + path + "' is not a readable regular file under this agent's host-path"
                    + " roots (--host-path-root)", job.at("/attempts/0/results/0/reason").asText(), c.getKey());
        }
    }

    private String submit(String path) {
        return api.submit(Map.of("artifact", Map.of("hostPath", path, "architecture", "amd64"),
                "expectations", List.of(Map.of("kind", "resolve", "resolver", RESOLVER, "target", TARGET))))
                .get("id").asText();
    }
}
