package dev.verifarm.coordinator.quarantine;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptOutcome;
import dev.verifarm.coordinator.job.AttemptView;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.job.Lease;
import dev.verifarm.coordinator.job.Verdict;
import dev.verifarm.coordinator.store.AttemptEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lease gating, quarantine and suspect results against the coordinator's real scheduling and database, with agents
 * faked at the edge of its fleet ({@link FakeAgent}). Default settings: 3 infrastructure failures in 10 minutes,
 * native errors re-run.
 */
@QuarkusTest
class QuarantineTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough for several dispatch rounds (poll interval 1 s). */
    private static final Duration NO_LEASE = Duration.ofSeconds(3);

    @Inject
    Fleet fleet;
    @Inject
    JobService jobs;

    private final List<FakeAgent> agents = new ArrayList<>();
    private final List<String> submitted = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        agents.forEach(FakeAgent::disconnect);
        submitted.stream().filter(id -> !jobs.get(id).state().terminal()).forEach(jobs::cancel);
    }

    @Test
    void anAgentUnhealthyForAnArchitectureItStillServesIsLeasedNoneOfItsWorkAndTheJobSaysWhy()
            throws InterruptedException {
        FakeAgent agent = agent("gate-a", FakeAgent.unhealthy(Instant.now(), "qemu-aarch64-static exited 1"));
        String job = submit(ExecutionMode.STATIC);

        assertTrue(agent.nextLease(job, NO_LEASE).isEmpty(), "leased to an agent unhealthy for arm64");
        awaitStatus(job, s -> s.startsWith("waiting for a healthy agent serving arm64: gate-a is unhealthy (native"
                + " resolve main.addrOfMemcpyish=main.memcpyish: qemu-aarch64-static exited 1)"));
        assertEquals(JobState.QUEUED, jobs.get(job).state(), "it waits, never fails");
        awaitTrue(Duration.ofSeconds(20), () -> admin().get("/q/metrics").asString()
                .contains("verifarm_agents_health{architecture=\"arm64\",state=\"UNHEALTHY\"} 1.0"),
                "the metric counts it (fleet refresh and gauge timer)");
    }

    @Test
    void threeInfrastructureFailuresQuarantineTheAgentAndAskItToCheckItself() throws InterruptedException {
        FakeAgent agent = agent("infra-a", FakeAgent.healthy(Instant.now()));
        String job = submit(ExecutionMode.STATIC);
        failTwice(agent, job);
        assertEquals(List.of(), history("infra-a"), "two failures of three quarantine nothing");

        fail(agent, lease(agent, job));

        Map<String, Object> entry = onlyEntry("infra-a");
        assertEquals("QUARANTINED", entry.get("action"));
        assertEquals(true, entry.get("automatic"));
        assertEquals("coordinator", entry.get("by"));
        assertTrue(entry.get("reason").toString().startsWith("3 infrastructure failures in 10m, the last attempt 3"
                + " of job " + job + ": ARTIFACT_UNAVAILABLE: "), entry.toString());
        awaitTrue(() -> agent.selfChecksAsked.equals(List.of(Architecture.ARM64)), "asked to self-check arm64");
        String next = submit(ExecutionMode.STATIC);
        assertTrue(agent.nextLease(next, NO_LEASE).isEmpty(), "leased to a quarantined agent");
        awaitStatus(next, s -> s.contains("infra-a is quarantined (3 infrastructure failures in 10m"));
    }

    @Test
    void aPassingSelfCheckAfterTheQuarantineBeganLiftsAnAutomaticOne() throws InterruptedException {
        FakeAgent agent = agent("lift-a", FakeAgent.healthy(Instant.now()));
        String job = submit(ExecutionMode.STATIC);
        failTwice(agent, job);
        fail(agent, lease(agent, job));
        awaitTrue(() -> history("lift-a").size() == 1, "quarantined");
        String next = submit(ExecutionMode.STATIC);
        assertTrue(agent.nextLease(next, NO_LEASE).isEmpty());

        agent.heartbeat(FakeAgent.healthy(Instant.now()));

        assertTrue(agent.nextLease(next, WAIT).isPresent(), "readmitted by its passing self-check");
        Map<String, Object> lifted = history("lift-a").get(1);
        assertEquals("READMITTED", lifted.get("action"));
        assertEquals("coordinator", lifted.get("by"));
        assertTrue(lifted.get("reason").toString().startsWith("its self-check for arm64 passed at "), lifted.toString());
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() throws InterruptedException {
        FakeAgent agent = agent("window-a", FakeAgent.healthy(Instant.now()));
        String job = submit(ExecutionMode.STATIC);
        failTwice(agent, job);
        QuarkusTransaction.requiringNew().run(() -> AttemptEntity.update("finishedAt = ?1 where jobId = ?2",
                Instant.now().minus(Duration.ofMinutes(11)), job));

        fail(agent, lease(agent, job));

        assertEquals(JobState.ERROR, awaitState(job, JobState::terminal), "its three attempts are spent");
        assertEquals(List.of(), history("window-a"), "one failure in the window");
    }

    @Test
    void anAdminQuarantineOutlivesAPassingSelfCheckUntilAnAdminReadmits() throws InterruptedException {
        FakeAgent agent = agent("admin-a", FakeAgent.healthy(Instant.now()));
        admin().contentType(ContentType.JSON).body(Map.of("architecture", "ARM64", "reason", "replacing its disk"))
                .post("/api/v1/agents/admin-a/quarantine").then().statusCode(200);
        String job = submit(ExecutionMode.STATIC);

        agent.heartbeat(FakeAgent.healthy(Instant.now().plusSeconds(1)));

        assertTrue(agent.nextLease(job, NO_LEASE).isEmpty(), "a self-check does not lift an admin's quarantine");
        awaitStatus(job, s -> s.equals("waiting for a healthy agent serving arm64: admin-a is quarantined"
                + " (replacing its disk)"));
        List<Map<String, Object>> listed = admin().get("/api/v1/agents").then().statusCode(200).extract().jsonPath()
                .getList("find { it.name == 'admin-a' }.quarantines");
        assertEquals("replacing its disk", listed.get(0).get("reason"), listed.toString());
        assertTrue(agent.selfChecksAsked.isEmpty(), "an admin's quarantine asks for no self-check");

        admin().contentType(ContentType.JSON).body(Map.of("reason", "disk replaced"))
                .post("/api/v1/agents/admin-a/readmit").then().statusCode(200);

        assertTrue(agent.nextLease(job, WAIT).isPresent(), "readmitted");
        List<Map<String, Object>> trail = history("admin-a");
        assertEquals(List.of("QUARANTINED", "READMITTED"), trail.stream().map(e -> e.get("action")).toList());
        assertEquals(List.of(false, false), trail.stream().map(e -> e.get("automatic")).toList());
        assertEquals("disk replaced", trail.get(1).get("reason"));
    }

    @Test
    void quarantiningNeedsAReasonAndReadmittingNeedsAQuarantine() {
        admin().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/agents/nobody/quarantine").then()
                .statusCode(400);
        admin().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/agents/nobody/readmit").then()
                .statusCode(404);
    }

    @Test
    void aSelfCheckRegressionQuarantinesMarksLaterResultsSuspectAndRunsNativeErrorsAgainElsewhere()
            throws InterruptedException {
        FakeAgent broken = agent("regress-a", FakeAgent.healthy(Instant.now()));
        String nativeJob = submit(ExecutionMode.NATIVE);
        String staticJob = submit(ExecutionMode.STATIC);
        report(broken, lease(broken, nativeJob), Verdict.ERROR);
        report(broken, lease(broken, staticJob), Verdict.MATCH);
        awaitState(nativeJob, JobState::terminal);
        awaitState(staticJob, JobState::terminal);

        broken.heartbeat(FakeAgent.unhealthy(Instant.now(), "expected MATCH, got ERROR"));

        awaitState(nativeJob, s -> s == JobState.QUEUED);
        String why = suspect(jobs.get(nativeJob).attempts().get(0));
        assertTrue(why.startsWith("agent regress-a failed its self-check for arm64 at "), why);
        assertTrue(why.endsWith(" after this attempt: native resolve main.addrOfMemcpyish=main.memcpyish: expected"
                + " MATCH, got ERROR"), why);
        awaitTrue(() -> jobs.get(staticJob).attempts().get(0).suspect().isPresent(), "the static result marked");
        assertEquals(JobState.PASSED, jobs.get(staticJob).state(), "a static result is only marked");
        assertEquals(true, history("regress-a").get(0).get("automatic"));

        FakeAgent sound = agent("regress-b", FakeAgent.healthy(Instant.now()));
        report(sound, lease(sound, nativeJob), Verdict.MATCH);

        JobView rerun = jobs.get(nativeJob);
        assertEquals(JobState.PASSED, awaitState(nativeJob, JobState::terminal), "the re-run's result is the job's");
        assertEquals(List.of("regress-a", "regress-b"), jobs.get(nativeJob).attempts().stream()
                .map(AttemptView::agentName).toList(), "the suspect attempt stays in the history: " + rerun);
        assertFalse(jobs.get(nativeJob).attempts().get(1).suspect().isPresent());
    }

    private FakeAgent agent(String name, dev.verifarm.coordinator.fleet.Health arm64) {
        FakeAgent agent = FakeAgent.register(fleet, name, arm64);
        agents.add(agent);
        return agent;
    }

    private String submit(ExecutionMode mode) {
        String id = jobs.submit(new JobSpec(new ArtifactSource.HostPath("/opt/stubs"), Optional.of(Architecture.ARM64),
                List.of(Expectation.of(CheckKind.RESOLVE, "main.addrOfMemcpyish", "main.memcpyish", null)), false,
                mode, false, 0, Optional.empty(), Optional.empty(), false)).id();
        submitted.add(id);
        return id;
    }

    private Lease lease(FakeAgent agent, String job) throws InterruptedException {
        return agent.nextLease(job, WAIT).orElseThrow(() -> new AssertionError(agent.name + " got no lease of " + job
                + ": " + jobs.get(job).status()));
    }

    private void failTwice(FakeAgent agent, String job) throws InterruptedException {
        fail(agent, lease(agent, job));
        fail(agent, lease(agent, job));
    }

    private void fail(FakeAgent agent, Lease lease) {
        jobs.finished(agent.id, lease.leaseId(), AttemptOutcome.failure(FailureKind.ARTIFACT_UNAVAILABLE,
                "the artifact cache's disk is full"));
    }

    private void report(FakeAgent agent, Lease lease, Verdict verdict) {
        jobs.finished(agent.id, lease.leaseId(), AttemptOutcome.report("{}", List.of(new CheckOutcome(
                CheckKind.RESOLVE, "main.addrOfMemcpyish", "main.memcpyish", verdict, "")), Optional.empty(),
                List.of()));
    }

    private static String suspect(AttemptView attempt) {
        return attempt.suspect().orElseThrow(() -> new AssertionError("not suspect: " + attempt));
    }

    private static List<Map<String, Object>> history(String agent) {
        return admin().get("/api/v1/agents/" + agent + "/quarantine-history").then().statusCode(200).extract()
                .jsonPath().getList("$");
    }

    private Map<String, Object> onlyEntry(String agent) {
        awaitTrue(() -> !history(agent).isEmpty(), agent + " quarantined");
        List<Map<String, Object>> trail = history(agent);
        assertEquals(1, trail.size(), trail.toString());
        return trail.get(0);
    }

    private JobState awaitState(String job, Predicate<JobState> wanted) {
        awaitTrue(() -> wanted.test(jobs.get(job).state()), "job " + job + " in the state wanted");
        return jobs.get(job).state();
    }

    private void awaitStatus(String job, Predicate<String> wanted) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!wanted.test(jobs.get(job).status())) {
            assertTrue(Instant.now().isBefore(deadline), "status: " + jobs.get(job).status());
            pause();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        awaitTrue(WAIT, condition, what);
    }

    private static void awaitTrue(Duration wait, java.util.function.BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(wait);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "not so within " + wait + ": " + what);
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
