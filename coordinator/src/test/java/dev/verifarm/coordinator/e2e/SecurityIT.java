package dev.verifarm.coordinator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.verifarm.coordinator.harness.Farm;
import dev.verifarm.coordinator.harness.StreamAgent;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArtifactChunk;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CancelJobRequest;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.DownloadArtifactRequest;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.GetJobRequest;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.ListJobsRequest;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.UploadArtifactRequest;
import dev.verifarm.proto.v1.UploadHeader;
import dev.verifarm.proto.v1.Verdict;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refusal of the security model, against a real coordinator process over real sockets: tokens and roles on
 * REST and gRPC, agent enrolment and lease ownership, limits that leave nothing behind, hostile input.
 * The farm's limits are set small so each can be reached cheaply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ARTIFACT = 256 * 1024;
    private static final int JOBS_IN_FLIGHT = 2;
    private static final int EXPECTATIONS = 3;
    private static final int JSON_BODY = 16 * 1024;
    private static final int GRPC_MESSAGE = 512 * 1024;

    private Farm farm;
    private Path elf;

    @BeforeAll
    void start() throws IOException {
        farm = Farm.start("-Dverifarm.artifact.max-size=" + MAX_ARTIFACT,
                "-Dverifarm.limits.jobs-in-flight-per-submitter=" + JOBS_IN_FLIGHT,
                "-Dverifarm.limits.expectations-per-job=" + EXPECTATIONS,
                "-Dverifarm.limits.json-body-size=" + JSON_BODY,
                "-Dquarkus.grpc.server.max-inbound-message-size=" + GRPC_MESSAGE,
                "-Dverifarm.agent.heartbeat-interval=500ms",
                // the limits and ownership below are exercised with submitters' host-path jobs (HostPathRootsIT
                // covers the default, admins only)
                "-Dverifarm.policy.host-path-roles=submitter,admin");
        elf = smallElf();
    }

    @AfterAll
    void stop() {
        if (farm != null) {
            farm.close();
        }
    }

    // --- submitters: tokens and roles ---

    @Test
    void restWithoutTokenIs401NamingTheHeader() {
        HttpResponse<String> r = farm.sendAsIs(get("/api/v1/jobs").build());
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("authorization", json(r).path("field").asText());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void restWithUnknownTokenIs401() {
        HttpResponse<String> r = farm.sendAsIs(get("/api/v1/jobs").header("Authorization", "Bearer vf_nosuchtoken")
                .build());
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(json(r).path("error").asText().contains("unknown or revoked"), r.body());
    }

    @Test
    void aRevokedTokenIsRefusedOnRestAndGrpc() {
        String reader = farm.createToken("soon-revoked", "reader");
        assertEquals(200, farm.sendAsIs(get("/api/v1/jobs").header("Authorization", "Bearer " + reader).build())
                .statusCode());
        String id = tokenId("soon-revoked");
        HttpResponse<String> revoked = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/tokens/" + id)).DELETE()
                .build());
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(json(revoked).hasNonNull("revokedAt"), revoked.body());
        assertEquals(401, farm.sendAsIs(get("/api/v1/jobs").header("Authorization", "Bearer " + reader).build())
                .statusCode());
        assertStatus(Status.Code.UNAUTHENTICATED, () -> submission(reader).listJobs(ListJobsRequest.newBuilder()
                .build()));
    }

    @Test
    void aReaderReadsButCannotSubmitOrUpload() {
        String reader = farm.createToken("reader-1", "reader");
        assertEquals(200, farm.sendAsIs(get("/api/v1/agents").header("Authorization", "Bearer " + reader).build())
                .statusCode());
        HttpResponse<String> r = farm.sendAsIs(postJson("/api/v1/jobs", hostPathJob("/usr/bin/true", "static"))
                .header("Authorization", "Bearer " + reader).build());
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(json(r).path("error").asText().contains("needs a submitter token"), r.body());
        assertEquals(403, farm.sendAsIs(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=x"))
                .header("Authorization", "Bearer " + reader).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(read(elf))).build()).statusCode());
        submission(reader).listJobs(ListJobsRequest.newBuilder().build());
        assertStatus(Status.Code.PERMISSION_DENIED, () -> submission(reader).submitJob(grpcHostPathJob("/bin/true")));
    }

    @Test
    void onlyAnAdminManagesTokens() {
        String submitter = farm.createToken("submitter-tokens", "submitter");
        HttpResponse<String> r = farm.sendAsIs(get("/api/v1/tokens").header("Authorization", "Bearer " + submitter)
                .build());
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(403, farm.sendAsIs(postJson("/api/v1/tokens", "{\"name\": \"mine\", \"role\": \"admin\"}")
                .header("Authorization", "Bearer " + submitter).build()).statusCode());
    }

    @Test
    void tokensAreShownOnceAndStoredOnlyAsHashes() throws IOException {
        String secret = farm.createToken("listed", "submitter");
        HttpResponse<String> list = farm.send(get("/api/v1/tokens").build());
        assertEquals(200, list.statusCode());
        assertFalse(list.body().contains(secret), "the list shows a secret");
        assertFalse(list.body().contains(farm.adminToken()), "the list shows the admin secret");
        for (JsonNode t : json(list)) {
            assertFalse(t.has("token"), t.toString());
        }
        Path adminFile = farm.dataDir().resolve("admin.token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(adminFile)));
        String log = Files.readString(farm.coordinatorLog());
        assertTrue(log.contains(adminFile.toString()), "the log does not say where the admin token is");
        assertFalse(log.contains(farm.adminToken()), "the log shows the admin token");
        assertFalse(log.contains(secret), "the log shows a token");
    }

    @Test
    void healthAndOpenApiStayOpen() {
        assertEquals(200, farm.sendAsIs(get("/q/health/ready").build()).statusCode());
        assertEquals(200, farm.sendAsIs(get("/openapi").build()).statusCode());
    }

    @Test
    void grpcWithoutTokenIsUnauthenticated() {
        assertStatus(Status.Code.UNAUTHENTICATED, () -> submission(null).listJobs(ListJobsRequest.newBuilder()
                .build()));
        assertStatus(Status.Code.UNAUTHENTICATED, () -> submission("vf_wrong").listJobs(ListJobsRequest
                .newBuilder().build()));
    }

    @Test
    void agentAndSubmitterTokensStayInTheirLane() {
        String agent = farm.createToken("lane-agent", "agent");
        String submitter = farm.createToken("lane-submitter", "submitter");
        assertStatus(Status.Code.PERMISSION_DENIED, () -> submission(agent).listJobs(ListJobsRequest.newBuilder()
                .build()));
        assertEquals(403, farm.sendAsIs(get("/api/v1/jobs").header("Authorization", "Bearer " + agent).build())
                .statusCode());
        StreamAgent posing = StreamAgent.register(farm.channel(submitter), "lane-submitter");
        assertEquals(Status.Code.PERMISSION_DENIED, endStatus(posing));
    }

    // --- agents ---

    @Test
    void anAgentWithAnUnknownTokenIsRefusedAndLogged() throws Exception {
        // only the lines logged from now on: another test's refusal must not stand in for this one
        int before = Files.readString(farm.coordinatorLog()).length();
        Process agent = farm.startAgent("impostor", "amd64", "vf_notatoken");
        String refusal = "refused verifarm.v1.AgentService/Connect from";
        Instant deadline = Instant.now().plusSeconds(60);
        while (!(Files.readString(farm.coordinatorLog()).substring(before).contains(refusal)
                && Files.readString(farm.agentLog("impostor")).contains("UNAUTHENTICATED"))
                && Instant.now().isBefore(deadline)) {
            Farm.sleep(Duration.ofMillis(250));
        }
        assertTrue(Files.readString(farm.coordinatorLog()).substring(before).lines().anyMatch(l -> l.contains(refusal)
                && l.contains("unknown or revoked token")), "no refusal logged; " + farm.describe());
        assertTrue(Files.readString(farm.agentLog("impostor")).contains("UNAUTHENTICATED"), farm.describe());
        assertFalse(agentNames().contains("impostor"));
        agent.destroy();
    }

    @Test
    void anAgentTokenEnrolsOnlyItsOwnName() {
        String token = farm.createToken("agent-x", "agent");
        StreamAgent posing = StreamAgent.register(farm.channel(token), "agent-y");
        StatusRuntimeException refused = endError(posing);
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().startsWith("register.name"), refused.toString());
        assertFalse(agentNames().contains("agent-y"));
    }

    @Test
    void aPrefixTokenEnrolsAgentsWhoseNamesStartWithIt() throws Exception {
        String token = farm.createToken("node-*", "agent");
        try (StreamAgent agent = StreamAgent.register(farm.channel(token), "node-17")) {
            agent.next(dev.verifarm.proto.v1.CoordinatorMessage.KindCase.REGISTERED, Duration.ofSeconds(10));
            StreamAgent outsider = StreamAgent.register(farm.channel(token), "other-1");
            assertEquals(Status.Code.PERMISSION_DENIED, endStatus(outsider));
        }
    }

    @Test
    void aRevokedAgentLosesItsStream() throws Exception {
        String token = farm.createToken("revoked-agent", "agent");
        StreamAgent agent = StreamAgent.register(farm.channel(token), "revoked-agent");
        agent.next(dev.verifarm.proto.v1.CoordinatorMessage.KindCase.REGISTERED, Duration.ofSeconds(10));
        assertTrue(agentNames().contains("revoked-agent"));
        assertEquals(200, farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/tokens/" + tokenId("revoked-agent")))
                .DELETE().build()).statusCode());
        agent.heartbeat();
        assertEquals(Status.Code.UNAUTHENTICATED, endStatus(agent));
        Instant deadline = Instant.now().plusSeconds(10);
        while (agentNames().contains("revoked-agent") && Instant.now().isBefore(deadline)) {
            Farm.sleep(Duration.ofMillis(200));
        }
        assertFalse(agentNames().contains("revoked-agent"), "the coordinator still lists the revoked agent");
    }

    @Test
    void anAgentCannotReportOrDownloadForALeaseItDoesNotHold() throws Exception {
        String holderToken = farm.createToken("holder", "agent");
        String otherToken = farm.createToken("bystander", "agent");
        String sha = uploadRest(elf, "lease-test").path("sha256").asText();
        try (StreamAgent holder = StreamAgent.register(farm.channel(holderToken), "holder")) {
            holder.next(dev.verifarm.proto.v1.CoordinatorMessage.KindCase.REGISTERED, Duration.ofSeconds(10));
            Job job = submission(farm.adminToken()).submitJob(SubmitJobRequest.newBuilder()
                    .setArtifact(ArtifactSource.newBuilder().setSha256(sha))
                    .addExpectations(resolve("main.a", "main.b")).build());
            Lease lease = holder.nextLease(Duration.ofSeconds(30));
            assertEquals(job.getId(), lease.getJobId());
            try (StreamAgent bystander = StreamAgent.register(farm.channel(otherToken), "bystander")) {
                bystander.next(dev.verifarm.proto.v1.CoordinatorMessage.KindCase.REGISTERED, Duration.ofSeconds(10));
                bystander.send(result(lease, Verdict.MATCH));
                assertStatus(Status.Code.PERMISSION_DENIED, () -> download(otherToken, sha));
                Farm.sleep(Duration.ofSeconds(2));
                assertFalse(bystander.receivedALease(), "another agent's lease reached the bystander");
                Job after = submission(farm.adminToken()).getJob(GetJobRequest.newBuilder().setJobId(job.getId())
                        .build());
                assertFalse(after.getState() == Job.State.PASSED || after.getState() == Job.State.FAILED,
                        "another agent's result was recorded: " + after);
            }
            assertTrue(download(holderToken, sha) > 0);
            holder.send(result(lease, Verdict.MISMATCH));
            assertEquals(Job.State.FAILED, awaitFinished(job.getId()).getState());
        }
    }

    @Test
    void agentsMustComeOverTls() {
        // A coordinator whose gRPC server has no certificate: submitters may still call it, agents may not.
        try (Farm plaintext = Farm.start("-Dquarkus.grpc.server.ssl.certificate=",
                "-Dquarkus.grpc.server.ssl.key=")) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", plaintext.grpcPort()).usePlaintext()
                    .intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(bearer(plaintext.adminToken())))
                    .build();
            try {
                SubmissionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .listJobs(ListJobsRequest.getDefaultInstance());
                StatusRuntimeException refused = endError(StreamAgent.register(channel, "cleartext"));
                assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
                assertTrue(refused.getStatus().getDescription().contains("over TLS"), refused.toString());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    // --- limits ---

    @Test
    void anUploadOverTheSizeLimitIs413AndLeavesNothing() {
        byte[] big = new byte[MAX_ARTIFACT + 1];
        System.arraycopy(read(elf), 0, big, 0, 64);
        HttpResponse<String> r = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=big"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build());
        assertEquals(413, r.statusCode(), r.body());
        StatusRuntimeException grpc = assertThrows(StatusRuntimeException.class,
                () -> farm.upload(UploadHeader.newBuilder().setName("big").setSize(big.length).build(), big));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, grpc.getStatus().getCode());
        assertNothingStored(sha256(big));
    }

    @Test
    void anUploadWhoseSizeOrHashLiesIsRefusedAndLeavesNothing() {
        byte[] bytes = read(elf);
        bytes[bytes.length - 1] ^= 0x6b;  // bytes of their own, so nothing else stores them
        StatusRuntimeException shortOne = assertThrows(StatusRuntimeException.class, () -> farm.upload(
                UploadHeader.newBuilder().setName("short").setSize(bytes.length + 10).build(), bytes));
        assertEquals(Status.Code.INVALID_ARGUMENT, shortOne.getStatus().getCode());
        assertTrue(shortOne.getStatus().getDescription().startsWith("size:"), shortOne.toString());
        StatusRuntimeException longOne = assertThrows(StatusRuntimeException.class, () -> farm.upload(
                UploadHeader.newBuilder().setName("long").setSize(bytes.length - 10).build(), bytes));
        assertTrue(longOne.getStatus().getDescription().startsWith("size:"), longOne.toString());
        String wrongSha = "0".repeat(64);
        StatusRuntimeException hash = assertThrows(StatusRuntimeException.class, () -> farm.upload(
                UploadHeader.newBuilder().setName("hash").setSha256(wrongSha).build(), bytes));
        assertTrue(hash.getStatus().getDescription().startsWith("sha256:"), hash.toString());
        HttpResponse<String> rest = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=h&sha256="
                        + wrongSha)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertEquals(400, rest.statusCode(), rest.body());
        assertEquals("sha256", json(rest).path("field").asText());
        assertNothingStored(sha256(bytes));
    }

    @Test
    void aBrokenUploadLeavesNothing() throws Exception {
        byte[] bytes = read(elf);
        byte[] variant = bytes.clone();
        variant[variant.length - 1] ^= 0x5a;  // bytes of their own, so nothing else stores them
        // gRPC: the client gives up halfway.
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<UploadArtifactRequest> up = SubmissionServiceGrpc.newStub(farm.channel())
                .uploadArtifact(observer(ended));
        up.onNext(UploadArtifactRequest.newBuilder().setHeader(UploadHeader.newBuilder().setName("broken")
                .setSize(variant.length)).build());
        up.onNext(UploadArtifactRequest.newBuilder().setChunk(ByteString.copyFrom(variant, 0, 1024)).build());
        up.onError(new RuntimeException("the client crashed"));
        // REST: the connection closes after a part of the declared body.
        try (Socket socket = new Socket("127.0.0.1", farm.rest("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/artifacts?name=broken HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + farm.adminToken() + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + variant.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(variant, 0, 1024);
            out.flush();
            Farm.sleep(Duration.ofMillis(500));
        }
        Instant deadline = Instant.now().plusSeconds(10);
        while (!partialUploads().isEmpty() && Instant.now().isBefore(deadline)) {
            Farm.sleep(Duration.ofMillis(200));
        }
        assertNothingStored(sha256(variant));
    }

    @Test
    void tooManyExpectationsIs400AndInvalidArgument() {
        StringBuilder expectations = new StringBuilder();
        for (int i = 0; i <= EXPECTATIONS; i++) {
            expectations.append(i == 0 ? "" : ",").append("{\"kind\": \"resolve\", \"resolver\": \"main.r").append(i)
                    .append("\", \"target\": \"main.t\"}");
        }
        HttpResponse<String> r = farm.send(postJson("/api/v1/jobs", "{\"artifact\": {\"hostPath\": \"/bin/true\","
                + " \"architecture\": \"arm64\"}, \"expectations\": [" + expectations + "]}").build());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("expectations", json(r).path("field").asText());
        SubmitJobRequest.Builder job = grpcHostPathJob("/bin/true").toBuilder();
        for (int i = 0; i < EXPECTATIONS; i++) {
            job.addExpectations(resolve("main.r" + i, "main.t"));
        }
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> submission(farm.adminToken()).submitJob(job.build()));
        assertTrue(e.getStatus().getDescription().startsWith("expectations:"), e.toString());
    }

    @Test
    void aSubmitterHasAtMostItsLimitOfJobsInFlight() {
        String token = farm.createToken("busy", "submitter");
        List<String> mine = new java.util.ArrayList<>();
        for (int i = 0; i < JOBS_IN_FLIGHT; i++) {
            HttpResponse<String> accepted = submitAs(token, hostPathJob("/bin/true", "static"));
            assertEquals(201, accepted.statusCode(), accepted.body());
            mine.add(json(accepted).path("id").asText());
        }
        HttpResponse<String> refused = submitAs(token, hostPathJob("/bin/true", "static"));
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals("jobs", json(refused).path("field").asText());
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> submission(token).submitJob(grpcHostPathJob("/bin/true")));
        // the list holds every test's jobs: cancel one of this submitter's own, not whichever is listed first
        List<String> listed = submission(token).listJobs(ListJobsRequest.newBuilder().build()).getJobsList().stream()
                .map(Job::getId).toList();
        assertTrue(listed.containsAll(mine), "the submitter lists its jobs " + mine + ": " + listed);
        assertEquals(Job.State.CANCELLED, submission(token).cancelJob(CancelJobRequest.newBuilder()
                .setJobId(mine.get(0)).build()).getState());
        assertEquals(201, submitAs(token, hostPathJob("/bin/true", "static")).statusCode());
    }

    @Test
    void anOversizedJsonBodyOrGrpcMessageIsRefused() {
        String huge = "{\"artifact\": {\"hostPath\": \"/bin/true\", \"architecture\": \"arm64\"}, \"pad\": \""
                + "x".repeat(JSON_BODY) + "\"}";
        HttpResponse<String> r = farm.send(postJson("/api/v1/jobs", huge).build());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("body", json(r).path("field").asText());
        SubmitJobRequest big = grpcHostPathJob("/bin/true").toBuilder()
                .addExpectations(resolve("main." + "x".repeat(GRPC_MESSAGE), "main.t")).build();
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> submission(farm.adminToken()).submitJob(big));
    }

    // --- native execution policy and ownership ---

    @Test
    void onlyAllowedRolesMayRunArtifactsNatively() {
        String submitter = farm.createToken("static-only", "submitter");
        HttpResponse<String> refused = submitAs(submitter, hostPathJob("/bin/true", "native"));
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("mode", json(refused).path("field").asText());
        StatusRuntimeException grpc = assertStatus(Status.Code.PERMISSION_DENIED, () -> submission(submitter)
                .submitJob(grpcHostPathJob("/bin/true").toBuilder().setMode(ExecutionMode.NATIVE).build()));
        assertTrue(grpc.getStatus().getDescription().startsWith("mode:"), grpc.toString());
        HttpResponse<String> admin = farm.send(postJson("/api/v1/jobs", hostPathJob("/bin/true", "native")).build());
        assertEquals(201, admin.statusCode(), admin.body());
        submission(farm.adminToken()).cancelJob(CancelJobRequest.newBuilder().setJobId(json(admin).path("id").asText())
                .build());
    }

    @Test
    void onlyTheSubmitterOrAnAdminCancelsAJob() {
        String alice = farm.createToken("alice", "submitter");
        String bob = farm.createToken("bob", "submitter");
        String id = json(submitAs(alice, hostPathJob("/bin/true", "static"))).path("id").asText();
        HttpResponse<String> refused = farm.sendAsIs(HttpRequest.newBuilder(farm.rest("/api/v1/jobs/" + id
                + "/cancel")).header("Authorization", "Bearer " + bob).POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(403, refused.statusCode(), refused.body());
        assertStatus(Status.Code.PERMISSION_DENIED, () -> submission(bob).cancelJob(CancelJobRequest.newBuilder()
                .setJobId(id).build()));
        assertEquals(Job.State.CANCELLED, submission(alice).cancelJob(CancelJobRequest.newBuilder().setJobId(id)
                .build()).getState());
        String other = json(submitAs(alice, hostPathJob("/bin/true", "static"))).path("id").asText();
        assertEquals(Job.State.CANCELLED, submission(farm.adminToken()).cancelJob(CancelJobRequest.newBuilder()
                .setJobId(other).build()).getState());
    }

    // --- hostile input ---

    @Test
    void hostPathsMustBeAbsoluteAndNormal() {
        for (String path : List.of("bin/true", "/usr/../etc/shadow", "/usr/./bin/true", "/usr//bin/true",
                "/usr/bin/", "/usr/bin/true\u0000.txt")) {
            HttpResponse<String> r = farm.send(postJson("/api/v1/jobs", hostPathJob(path, "static")).build());
            assertEquals(400, r.statusCode(), path + ": " + r.body());
            assertEquals("artifact.hostPath.path", json(r).path("field").asText(), r.body());
            StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                    () -> submission(farm.adminToken()).submitJob(grpcHostPathJob(path)));
            assertTrue(e.getStatus().getDescription().startsWith("artifact.hostPath.path:"), e.toString());
        }
    }

    @Test
    void anArtifactNameIsALabelThatNeverBecomesAPath() throws IOException {
        byte[] bytes = read(elf);
        bytes[bytes.length - 1] ^= 0x33;
        HttpResponse<String> r = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name="
                        + "..%2F..%2F..%2Fescaped")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("../../../escaped", json(r).path("name").asText());
        assertTrue(Files.isRegularFile(farm.dataDir().resolve("artifacts").resolve(sha256(bytes))));
        try (Stream<Path> all = Files.walk(farm.dataDir().getParent())) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("escaped")));
        }
        HttpResponse<String> control = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=a%0Ab"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build());
        assertEquals(400, control.statusCode(), control.body());
        assertEquals("name", json(control).path("field").asText());
    }

    @Test
    void jsonWithWrongTypesUnknownValuesOrHugeStringsIsRefusedNamingTheField() {
        assertRefused("{\"artifact\": {\"hostPath\": \"/bin/true\", \"architecture\": \"arm64\"}, \"priority\":"
                + " \"high\", \"discover\": true}", "priority");
        assertRefused("{\"artifact\": {\"hostPath\": \"/bin/true\", \"architecture\": \"arm64\"}, \"mode\":"
                + " \"turbo\", \"discover\": true}", "mode");
        assertRefused("{\"artifact\": {\"hostPath\": \"/bin/true\", \"architecture\": \"sparc\"},"
                + " \"discover\": true}", "artifact.architecture");
        assertRefused("{\"artifact\": {\"hostPath\": \"/bin/true\", \"architecture\": \"arm64\"}, \"expectations\":"
                + " [{\"kind\": \"resolve\", \"resolver\": \"" + "r".repeat(5000) + "\", \"target\": \"main.t\"}]}",
                "expectations[0].resolver");
        assertRefused("{\"artifact\": {\"hostPath\": \"/bin/true\", \"architecture\": \"arm64\"}, \"expectations\":"
                + " [{\"kind\": \"resolve\", \"resolver\": \"main.r\"}]}", "expectations[0].target");
        assertRefused("{\"artifact\": [1, 2]}", "artifact");
    }

    @Test
    void protobufWithMissingFieldsIsInvalidArgumentNamingTheField() {
        assertInvalid("artifact", SubmitJobRequest.newBuilder().addExpectations(resolve("main.r", "main.t")).build());
        assertInvalid("expectations[0].target", grpcHostPathJob("/bin/true").toBuilder().clearExpectations()
                .addExpectations(Expectation.newBuilder().setKind(CheckKind.RESOLVE).setResolver("main.r")).build());
        assertInvalid("expectations[0].kind", grpcHostPathJob("/bin/true").toBuilder().clearExpectations()
                .addExpectations(Expectation.newBuilder().setResolver("main.r").setTarget("main.t")).build());
        assertInvalid("artifact.hostPath.architecture", SubmitJobRequest.newBuilder().setArtifact(
                ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder().setPath("/bin/true"))).setDiscover(true)
                .build());
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> submission(farm.adminToken())
                .getJob(GetJobRequest.getDefaultInstance()));
        assertTrue(e.getStatus().getDescription().startsWith("job_id:"), e.toString());
    }

    // --- helpers ---

    private void assertRefused(String body, String field) {
        HttpResponse<String> r = farm.send(postJson("/api/v1/jobs", body).build());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(field, json(r).path("field").asText(), r.body());
    }

    private void assertInvalid(String field, SubmitJobRequest request) {
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> submission(farm.adminToken()).submitJob(request));
        assertTrue(e.getStatus().getDescription().startsWith(field + ":"), e.toString());
    }

    private static StatusRuntimeException assertStatus(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        return e;
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub submission(String token) {
        return SubmissionServiceGrpc.newBlockingStub(farm.channel(token)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private long download(String token, String sha) {
        Iterator<ArtifactChunk> chunks = AgentServiceGrpc.newBlockingStub(farm.channel(token))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .downloadArtifact(DownloadArtifactRequest.newBuilder().setSha256(sha).build());
        long n = 0;
        while (chunks.hasNext()) {
            n += chunks.next().getData().size();
        }
        return n;
    }

    private static Status.Code endStatus(StreamAgent agent) {
        return endError(agent).getStatus().getCode();
    }

    private static StatusRuntimeException endError(StreamAgent agent) {
        try {
            Throwable t = agent.ended.get(30, TimeUnit.SECONDS);
            assertTrue(t instanceof StatusRuntimeException, "the stream ended with " + t);
            return (StatusRuntimeException) t;
        } catch (Exception e) {
            throw new AssertionError("the stream did not end", e);
        }
    }

    private Job awaitFinished(String id) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Job job = submission(farm.adminToken()).getJob(GetJobRequest.newBuilder().setJobId(id).build());
            if (job.getFinishedAt().getSeconds() > 0) {
                return job;
            }
            Farm.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("job " + id + " did not finish; " + farm.describe());
    }

    private List<String> agentNames() {
        return submission(farm.adminToken()).listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList()
                .stream().map(a -> a.getName()).toList();
    }

    private String tokenId(String name) {
        for (JsonNode t : json(farm.send(get("/api/v1/tokens").build()))) {
            if (t.path("name").asText().equals(name) && !t.has("revokedAt")) {
                return t.path("id").asText();
            }
        }
        throw new AssertionError("no live token " + name);
    }

    private static io.grpc.Metadata bearer(String token) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
        return headers;
    }

    private static AgentMessage result(Lease lease, Verdict verdict) {
        return AgentMessage.newBuilder().setResult(Result.newBuilder().setLeaseId(lease.getLeaseId())
                .setAttempt(lease.getAttempt()).setReport(CheckReport.newBuilder().setMode(ExecutionMode.STATIC)
                        .addResults(CheckResult.newBuilder().setExpectation(lease.getExpectations(0))
                                .setVerdict(verdict).setReason("said by the test")))).build();
    }

    private static Expectation resolve(String resolver, String target) {
        return Expectation.newBuilder().setKind(CheckKind.RESOLVE).setResolver(resolver).setTarget(target).build();
    }

    /** A job on an arm64 host path: this farm has no arm64 agent, so it stays in flight. */
    private static SubmitJobRequest grpcHostPathJob(String path) {
        return SubmitJobRequest.newBuilder().setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder()
                .setPath(path).setArchitecture(Architecture.ARM64))).addExpectations(resolve("main.r", "main.t"))
                .build();
    }

    private static String hostPathJob(String path, String mode) {
        try {
            return JSON.writeValueAsString(java.util.Map.of("artifact", java.util.Map.of("hostPath", path,
                    "architecture", "arm64"), "mode", mode, "expectations", List.of(java.util.Map.of("kind",
                    "resolve", "resolver", "main.r", "target", "main.t"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> submitAs(String token, String body) {
        return farm.sendAsIs(postJson("/api/v1/jobs", body).header("Authorization", "Bearer " + token).build());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(farm.rest(path));
    }

    private HttpRequest.Builder postJson(String path, String body) {
        return HttpRequest.newBuilder(farm.rest(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private JsonNode uploadRest(Path file, String name) {
        HttpResponse<String> r = farm.send(HttpRequest.newBuilder(farm.rest("/api/v1/artifacts?name=" + name))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(read(file))).build());
        assertEquals(201, r.statusCode(), r.body());
        return json(r);
    }

    private static <T> StreamObserver<T> observer(CompletableFuture<Throwable> ended) {
        return new StreamObserver<>() {
            public void onNext(T value) {
            }

            public void onError(Throwable t) {
                ended.complete(t);
            }

            public void onCompleted() {
                ended.complete(null);
            }
        };
    }

    /** No row (GET is 404) and no file, final or partial, for these bytes. */
    private void assertNothingStored(String sha) {
        HttpResponse<String> r = farm.send(get("/api/v1/artifacts/" + sha).build());
        assertEquals(404, r.statusCode(), r.body());
        assertFalse(Files.exists(farm.dataDir().resolve("artifacts").resolve(sha)));
        assertEquals(List.of(), partialUploads());
    }

    private List<Path> partialUploads() {
        Path dir = farm.dataDir().resolve("artifacts");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A real amd64 ELF executable, small enough for the test's upload limit: the host's own {@code true}. */
    private static Path smallElf() throws IOException {
        Path trueBinary = Path.of("/bin/true").toRealPath();
        assertTrue(Files.size(trueBinary) < MAX_ARTIFACT, trueBinary + " is larger than the test's upload limit");
        return trueBinary;
    }
}
