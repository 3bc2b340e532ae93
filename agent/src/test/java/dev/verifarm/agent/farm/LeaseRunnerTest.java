package dev.verifarm.agent.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's lease runner with the real checks engine on a Go-built binary; at its edges a fake coordinator
 * (in this JVM) serves downloads and a queue stands for the stream its messages go to.
 */
class LeaseRunnerTest {
    private static final Path STUBS = new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary();
    private static final Expectation MATCHING = Expectation.newBuilder().setKind(CheckKind.RESOLVE)
            .setResolver("main.addrOfMemcpyish").setTarget("main.memcpyish").build();

    @TempDir
    Path dir;
    private Path root;
    private FakeCoordinator coordinator;
    private final BlockingQueue<AgentMessage> sent = new LinkedBlockingQueue<>();
    private LeaseRunner runner;
    private ProvenHealth health;

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectories(dir.resolve("artifacts"));
        Files.copy(STUBS, root.resolve("stubs"));
        coordinator = new FakeCoordinator();
        health = ProvenHealth.ofHost();
        runner = runner(1, sent::add);
    }

    @AfterEach
    void stop() throws InterruptedException {
        runner.shutdown();
        coordinator.close();
        health.close();
    }

    private LeaseRunner runner(int maxConcurrency, Consumer<AgentMessage> outbox) throws IOException {
        ArtifactCache cache = ProvenHealth.cache(dir.resolve("cache"),
                () -> AgentServiceGrpc.newBlockingStub(coordinator.channel()));
        return new LeaseRunner(new CheckEngine(new NativeChecks(SandboxPolicy.defaults())), cache,
                HostPathRoots.of(List.of(root)), health.monitor(), true, maxConcurrency, outbox);
    }

    private static Lease lease(String id, ArtifactSource.Builder artifact) {
        return Lease.newBuilder().setLeaseId(id).setJobId("job-" + id).setAttempt(2).setArtifact(artifact)
                .addExpectations(MATCHING).setMode(ExecutionMode.STATIC).build();
    }

    private ArtifactSource.Builder hostPath(String path) {
        return ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder().setPath(path)
                .setArchitecture(dev.verifarm.proto.v1.Architecture.AMD64));
    }

    private Result nextResult() throws InterruptedException {
        for (AgentMessage message = poll(); ; message = poll()) {
            if (message.hasResult()) {
                return message.getResult();
            }
        }
    }

    private AgentMessage poll() throws InterruptedException {
        AgentMessage message = sent.poll(30, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("the runner sent nothing within 30 s");
        }
        return message;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aHostPathLeaseSaysItStartedThenSendsOneResultWithTheVerdicts() throws Exception {
        runner.accept(lease("l1", hostPath(root.resolve("stubs").toString())));

        AgentMessage first = poll();
        assertEquals("l1", first.getProgress().getLeaseId());
        assertEquals("started", first.getProgress().getMessage());
        Result result = nextResult();
        assertEquals("l1", result.getLeaseId());
        assertEquals(2, result.getAttempt());
        assertEquals(Verdict.MATCH, result.getReport().getResults(0).getVerdict(), result.toString());
        assertTrue(runner.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(List.of(), sent.stream().filter(AgentMessage::hasResult).toList());
    }

    @Test
    void anUploadedArtifactIsFetchedFromTheCoordinatorInChunksAndChecked() throws Exception {
        byte[] bytes = Files.readAllBytes(STUBS);
        String sha256 = sha256(bytes);
        coordinator.serve(sha256, bytes);

        runner.accept(lease("l1", ArtifactSource.newBuilder().setSha256(sha256)));

        Result result = nextResult();
        assertEquals(Verdict.MATCH, result.getReport().getResults(0).getVerdict(), result.toString());
        assertEquals(sha256, result.getReport().getArtifact().getSha256());
    }

    @Test
    void anArtifactThatDoesNotHashToItsNameIsAnInfrastructureFailure() throws Exception {
        String claimed = sha256("something else".getBytes());
        coordinator.serve(claimed, Files.readAllBytes(STUBS));

        runner.accept(lease("l1", ArtifactSource.newBuilder().setSha256(claimed)));

        Result result = nextResult();
        assertEquals(InfrastructureFailure.Kind.ARTIFACT_UNAVAILABLE, result.getFailure().getKind(), result.toString());
        assertTrue(result.getFailure().getMessage().contains("not the " + claimed + " asked for"), result.toString());
    }

    @Test
    void anArtifactTheCoordinatorDoesNotHaveIsAnInfrastructureFailure() throws Exception {
        String missing = sha256("missing".getBytes());
        runner.accept(lease("l1", ArtifactSource.newBuilder().setSha256(missing)));

        Result result = nextResult();
        assertEquals(InfrastructureFailure.Kind.ARTIFACT_UNAVAILABLE, result.getFailure().getKind(), result.toString());
        assertTrue(result.getFailure().getMessage().contains("NOT_FOUND"), result.toString());
    }

    @Test
    void aHostPathOutsideTheRootsIsAVerdictOnTheJobNotAFailureToRetry() throws Exception {
        runner.accept(lease("l1", hostPath(STUBS.toString())));

        Result result = nextResult();
        assertTrue(result.hasReport(), result.toString());
        assertEquals(HostPathRoots.refusal(STUBS.toString()), result.getReport().getError());
    }

    @Test
    void aLeaseTheEngineCannotReadIsAnInternalFailure() throws Exception {
        Lease malformed = lease("l1", hostPath(root.resolve("stubs").toString())).toBuilder()
                .setExpectations(0, MATCHING.toBuilder().setKind(CheckKind.CHECK_KIND_UNSPECIFIED)).build();

        runner.accept(malformed);

        Result result = nextResult();
        assertEquals(InfrastructureFailure.Kind.INTERNAL, result.getFailure().getKind(), result.toString());
        assertTrue(result.getFailure().getMessage().startsWith("the lease is malformed: "), result.toString());
    }

    @Test
    void theSameLeaseSentTwiceWhileItRunsRunsOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LeaseRunner held = runner(1, holdingStarted(release));
        Lease lease = lease("l1", hostPath(root.resolve("stubs").toString()));
        held.accept(lease);
        held.accept(lease);
        release.countDown();

        assertTrue(held.awaitIdle(Duration.ofSeconds(30)));
        held.shutdown();
        assertEquals(1, sent.stream().filter(AgentMessage::hasResult).count());
    }

    @Test
    void aLeaseCancelledBeforeItStartsNeitherRunsNorReports() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LeaseRunner held = runner(1, holdingStarted(release));
        held.accept(lease("first", hostPath(root.resolve("stubs").toString())));
        held.accept(lease("second", hostPath(root.resolve("stubs").toString())));
        assertEquals(2, held.runningLeaseIds().size());

        held.cancel("second", "the job was cancelled");
        assertEquals(List.of("first"), held.runningLeaseIds());
        assertFalse(held.awaitIdle(Duration.ofMillis(50)), "the first lease is still held");
        release.countDown();

        assertTrue(held.awaitIdle(Duration.ofSeconds(30)));
        held.shutdown();
        List<String> leases = sent.stream().map(m -> m.hasResult() ? m.getResult().getLeaseId()
                : m.getProgress().getLeaseId()).distinct().toList();
        assertEquals(List.of("first"), leases);
    }

    /** An outbox that keeps the worker of a lease that says it started until {@code release}. */
    private Consumer<AgentMessage> holdingStarted(CountDownLatch release) {
        return message -> {
            sent.add(message);
            if (message.getProgress().getMessage().equals("started")) {
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
