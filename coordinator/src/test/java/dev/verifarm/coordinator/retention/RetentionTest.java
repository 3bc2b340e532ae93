package dev.verifarm.coordinator.retention;

import dev.verifarm.coordinator.api.grpc.GrpcAuthentication;
import dev.verifarm.coordinator.api.grpc.SubmissionGrpcService;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.UploadArtifactRequest;
import dev.verifarm.proto.v1.UploadHeader;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention on the embedded database: what is old and unreferenced goes, in batches, and nothing that something
 * refers to does; an admin's artifact deletion and a submitter's quota over real HTTP (and gRPC for the quota).
 */
@QuarkusTest
@TestProfile(RetentionTest.ShortRetention.class)
class RetentionTest {
    static final int QUOTA = 150_000;
    static final int SIZE = 60_000;

    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verifarm.retention.interval", "1h",
                    "verifarm.retention.batch-size", "3",
                    "verifarm.retention.finished-jobs", "1h",
                    "verifarm.retention.nightly-runs-per-suite", "2",
                    "verifarm.retention.orphan-artifacts", "1h",
                    "verifarm.capacity.stored-bytes-per-submitter", String.valueOf(QUOTA));
        }
    }

    @Inject
    Pruner pruner;
    @Test
    void finishedJobsPastRetentionGoInBatchesWithTheirAttemptsResultsAndEvents() {
        String sha = TestArtifacts.upload(admin(), TestArtifacts.elf(SIZE));
        Instant old = Instant.now().minus(2, ChronoUnit.HOURS);
        List<String> expired = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expired.add(job(sha, "PASSED", old, old));
        }
        String recent = job(sha, "FAILED", old, Instant.now().minus(10, ChronoUnit.MINUTES));
        String queued = job(sha, "QUEUED", old, null);
        String running = job(sha, "RUNNING", old, null);

        Pruner.Pass pass = pruner.prune();

        assertTrue(pass.jobs() >= 7, "jobs pruned: " + pass);
        assertTrue(pass.batches() >= 4, "7 jobs in batches of 3 and a short one for runs and artifacts: " + pass);
        assertEquals(0, count("select count(*) from job where id in (?1)", expired));
        assertEquals(0, count("select count(*) from attempt where job_id in (?1)", expired));
        assertEquals(0, count("select count(*) from job_event where job_id in (?1)", expired));
        assertEquals(0, count("select count(*) from check_result where attempt_id not in (select id from attempt)",
                List.of()));
        List<String> kept = List.of(recent, queued, running);
        assertEquals(3, count("select count(*) from job where id in (?1)", kept));
        assertEquals(3, count("select count(*) from check_result r join attempt a on a.id = r.attempt_id"
                + " where a.job_id in (?1)", kept));
        admin().get("/api/v1/artifacts/" + sha).then().statusCode(200);
    }

    @Test
    void orphanArtifactsGoWhileThoseAJobOrSuiteRefersToStay() {
        String checkedByQueuedJob = TestArtifacts.upload(admin(), TestArtifacts.elf(SIZE));
        String inSuite = TestArtifacts.upload(admin(), TestArtifacts.elf(SIZE));
        String orphan = TestArtifacts.upload(admin(), TestArtifacts.elf(SIZE));
        String young = TestArtifacts.upload(admin(), TestArtifacts.elf(SIZE));
        Instant old = Instant.now().minus(2, ChronoUnit.HOURS);
        job(checkedByQueuedJob, "QUEUED", old, null);
        String suite = "keeps-" + UUID.randomUUID().toString().substring(0, 8);
        putSuite(suite, inSuite);
        sql("update artifact set created_at = ?2 where sha256 in (?1)",
                List.of(checkedByQueuedJob, inSuite, orphan), old);

        Pruner.Pass pass = pruner.prune();

        assertTrue(pass.artifacts() >= 1, pass.toString());
        admin().get("/api/v1/artifacts/" + orphan).then().statusCode(404);
        assertEquals(0, count("select count(*) from artifact_chunk where sha256 in (?1)", List.of(orphan)));
        for (String kept : List.of(checkedByQueuedJob, inSuite, young)) {
            admin().get("/api/v1/artifacts/" + kept).then().statusCode(200);
            assertEquals(1, count("select count(*) from artifact_chunk where sha256 in (?1)", List.of(kept)));
        }
    }

    @Test
    void nightlyRunsBeyondTheNewestTwoOfTheirSuiteGoAndARunInProgressStays() {
        String suite = "history-" + UUID.randomUUID().toString().substring(0, 8);
        Instant first = Instant.now().minus(10, ChronoUnit.DAYS);
        String inProgress = run(suite, first.minus(1, ChronoUnit.DAYS), false);
        List<String> finished = new ArrayList<>();
        for (int night = 0; night < 5; night++) {
            finished.add(run(suite, first.plus(night, ChronoUnit.DAYS), true));
        }

        pruner.prune();

        assertEquals(List.of(finished.get(3), finished.get(4)), strings("select id from nightly_run"
                + " where suite_name = ?1 and finished_at is not null order by started_at", suite));
        assertEquals(1, count("select count(*) from nightly_run where id in (?1)", List.of(inProgress)));
        assertEquals(3, count("select count(*) from nightly_cell where run_id in (select id from nightly_run"
                + " where suite_name = ?1)", suite));
    }

    @Test
    void deletingAnArtifactIsRefusedNamingWhatRefersToItThenTakesItsFinishedJobsWithIt() {
        String sha = TestArtifacts.upload(admin(), TestArtifacts.elf(SIZE));
        Instant old = Instant.now().minus(2, ChronoUnit.HOURS);
        String finished = job(sha, "PASSED", old, old);
        String queued = admin().contentType(ContentType.JSON).body("""
                        {"artifact": {"sha256": "%s"}, "expectations": [{"resolve": "main.stub=main.target"}]}"""
                        .formatted(sha)).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        String suite = "refers-" + UUID.randomUUID().toString().substring(0, 8);
        putSuite(suite, sha);

        admin().delete("/api/v1/artifacts/" + sha).then().statusCode(409)
                .body("field", equalTo("sha256"))
                .body("error", allOf(containsString("suites [" + suite + "]"), containsString(queued)));
        as(token("READER")).delete("/api/v1/artifacts/" + sha).then()
                .statusCode(403);

        admin().delete("/api/v1/suites/" + suite).then().statusCode(204);
        admin().post("/api/v1/jobs/" + queued + "/cancel").then().statusCode(200);
        admin().delete("/api/v1/artifacts/" + sha).then().statusCode(204);

        admin().get("/api/v1/artifacts/" + sha).then().statusCode(404);
        admin().get("/api/v1/jobs/" + finished).then().statusCode(404);
        admin().get("/api/v1/jobs/" + queued).then().statusCode(404);
        assertEquals(0, count("select count(*) from artifact_chunk where sha256 in (?1)", List.of(sha)));
        admin().delete("/api/v1/artifacts/" + sha).then().statusCode(404);
    }

    @Test
    void anUploadOverTheSubmittersQuotaIs413WithTheNumbers() {
        String submitter = token("SUBMITTER");
        byte[] first = TestArtifacts.elf(SIZE);
        TestArtifacts.upload(as(submitter), first);
        TestArtifacts.upload(as(submitter), TestArtifacts.elf(SIZE));

        as(submitter).contentType(ContentType.BINARY).body(TestArtifacts.elf(SIZE))
                .post("/api/v1/artifacts?name=third").then().statusCode(413)
                .body("field", equalTo("artifact"))
                .body("used", equalTo(2 * SIZE)).body("upload", equalTo(SIZE)).body("limit", equalTo(QUOTA))
                .body("error", containsString("limit of " + QUOTA + " bytes per submitter"));
        // the same bytes again take no more room (their sha256 declared, they are not refused before they arrive);
        // an admin is not limited
        as(submitter).contentType(ContentType.BINARY).body(first).queryParam("sha256", sha256(first))
                .post("/api/v1/artifacts?name=again").then().statusCode(201);
        TestArtifacts.upload(admin(), TestArtifacts.elf(SIZE));
    }

    @Inject
    @GrpcService
    SubmissionGrpcService service;
    @Inject
    GrpcAuthentication authentication;

    @Test
    void aGrpcUploadOverTheSubmittersQuotaIsResourceExhaustedWithTheNumbers() throws Exception {
        String submitter = token("SUBMITTER");
        TestArtifacts.upload(as(submitter), TestArtifacts.elf(SIZE));
        TestArtifacts.upload(as(submitter), TestArtifacts.elf(SIZE));
        Server server = ServerBuilder.forPort(0).addService(ServerInterceptors.intercept(service, authentication))
                .build().start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .build();
        try {
            Metadata token = new Metadata();
            token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + submitter);
            CompletableFuture<ArtifactRef> answer = new CompletableFuture<>();
            StreamObserver<UploadArtifactRequest> upload = SubmissionServiceGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token))
                    .uploadArtifact(new StreamObserver<>() {
                        @Override
                        public void onNext(ArtifactRef value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            byte[] third = TestArtifacts.elf(SIZE);
            upload.onNext(UploadArtifactRequest.newBuilder().setHeader(UploadHeader.newBuilder().setName("third")
                    .setSize(third.length)).build());
            upload.onNext(UploadArtifactRequest.newBuilder().setChunk(ByteString.copyFrom(third)).build());
            upload.onCompleted();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> answer.get(30, TimeUnit.SECONDS));
            Status status = ((StatusRuntimeException) failed.getCause()).getStatus();
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
            assertTrue(status.getDescription().contains("(used=" + 2 * SIZE + ", upload=" + SIZE + ", limit="
                    + QUOTA + ")"), status.getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification as(String secret) {
        return given().header("Authorization", "Bearer " + secret);
    }

    private static String token(String role) {
        return admin().contentType(ContentType.JSON)
                .body("{\"name\": \"quota-" + UUID.randomUUID() + "\", \"role\": \"" + role + "\"}")
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    private static void putSuite(String name, String sha256) {
        admin().contentType(ContentType.JSON).body("""
                        {"schedule": "0 0 2 * * ?", "entries": [{"artifact": {"sha256": "%s"},
                         "expectations": [{"resolve": "main.stub=main.target"}]}]}""".formatted(sha256))
                .put("/api/v1/suites/" + name).then().statusCode(200);
    }

    /** A job on {@code sha256} in {@code state}, with one attempt, one result and one event. */
    private static String job(String sha256, String state, Instant submitted, Instant finished) {
        String id = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> {
            EntityManager em = dev.verifarm.coordinator.store.JobEntity.getEntityManager();
            em.createNativeQuery("insert into job (id, state, status, artifact_sha256, architecture, expectations,"
                            + " discover, mode, fleet_wide, priority, submitted_at, finished_at, last_event)"
                            + " values (?1, ?2, 'test', ?3, 'AMD64', '[]', true, 'STATIC', false, 0, ?4, ?5, 1)")
                    .setParameter(1, id).setParameter(2, state).setParameter(3, sha256)
                    .setParameter(4, submitted).setParameter(5, finished).executeUpdate();
            em.createNativeQuery("insert into job_event (job_id, sequence, at, state, message)"
                    + " values (?1, 1, ?2, ?3, 'test')").setParameter(1, id).setParameter(2, submitted)
                    .setParameter(3, state).executeUpdate();
            em.createNativeQuery("insert into attempt (job_id, number, lease_id, agent_id, agent_name, state,"
                            + " leased_at, expires_at) values (?1, 1, ?2, 'agent', 'agent', 'DONE', ?3, ?3)")
                    .setParameter(1, id).setParameter(2, UUID.randomUUID().toString()).setParameter(3, submitted)
                    .executeUpdate();
            em.createNativeQuery("insert into check_result (attempt_id, position, kind, resolver, target, verdict,"
                            + " reason) select id, 0, 'RESOLVE', 'r', 't', 'MATCH', '' from attempt where job_id = ?1")
                    .setParameter(1, id).executeUpdate();
        });
        return id;
    }

    /** A nightly run of {@code suite} started at {@code started}, finished or not, with one cell. */
    private static String run(String suite, Instant started, boolean finished) {
        String id = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> {
            EntityManager em = dev.verifarm.coordinator.store.JobEntity.getEntityManager();
            em.createNativeQuery("insert into nightly_run (id, suite_name, scheduled_for, trigger_kind, state,"
                            + " definition, started_at, deadline_at, finished_at) values (?1, ?2, ?3, 'SCHEDULE', ?4,"
                            + " '{}', ?3, ?3, ?5)").setParameter(1, id).setParameter(2, suite).setParameter(3, started)
                    .setParameter(4, finished ? "FINISHED" : "RUNNING").setParameter(5, finished ? started : null)
                    .executeUpdate();
            em.createNativeQuery("insert into nightly_cell (run_id, entry_index, error) values (?1, 0, 'none')")
                    .setParameter(1, id).executeUpdate();
        });
        return id;
    }

    private static void sql(String statement, Object... parameters) {
        QuarkusTransaction.requiringNew().run(() -> {
            var query = dev.verifarm.coordinator.store.JobEntity.getEntityManager().createNativeQuery(statement);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            query.executeUpdate();
        });
    }

    private static long count(String statement, Object parameter) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = dev.verifarm.coordinator.store.JobEntity.getEntityManager().createNativeQuery(statement);
            if (!(parameter instanceof List<?> list && list.isEmpty())) {
                query.setParameter(1, parameter);
            }
            return ((Number) query.getSingleResult()).longValue();
        });
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(String statement, Object parameter) {
        return QuarkusTransaction.requiringNew().call(() -> dev.verifarm.coordinator.store.JobEntity
                .getEntityManager().createNativeQuery(statement).setParameter(1, parameter).getResultList());
    }
}
