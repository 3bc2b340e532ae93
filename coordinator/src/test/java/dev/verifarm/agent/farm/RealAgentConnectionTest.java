package dev.verifarm.agent.farm;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.health.HealthMonitor;
import dev.verifarm.agent.health.SelfCheck;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.wire.CheckWire;
import dev.verifarm.coordinator.scheduling.FastScheduling;
import dev.verifarm.coordinator.testing.InProcessFarm;
import dev.verifarm.coordinator.testing.Poll;
import dev.verifarm.proto.v1.AgentInfo;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.ListAgentsRequest;
import dev.verifarm.proto.v1.SubmissionServiceGrpc;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.Verdict;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's real stream ({@link CoordinatorConnection}, its {@link LeaseRunner} and check engine) against the
 * coordinator's real agent face, in one JVM over grpc-java's in-process transport. The input is the program the
 * agent jar carries for its self-check, whose answers are known. This class lives in the agent's package because
 * the agent's farm classes are package-private; Quarkus loads the agent jar (a test dependency) and this test with
 * one class loader, and the coordinator's own generated proto classes come first on the class path.
 */
@QuarkusTest
@TestProfile(FastScheduling.class)
class RealAgentConnectionTest {
    private static final String NAME = "real-agent";
    private static final Architecture HOST = Architecture.host().orElseThrow();

    @TempDir
    Path dir;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private InProcessFarm farm;
    private SelfCheck selfCheck;
    private HealthMonitor health;
    private CoordinatorConnection connection;
    private LeaseRunner runner;
    private Path program;

    @BeforeEach
    void start() throws IOException {
        farm = InProcessFarm.start();
        Path root = Files.createDirectories(dir.resolve("artifacts"));
        program = root.resolve("known-answers");
        try (InputStream in = HealthMonitor.class.getResourceAsStream("known-answers-" + HOST.goName())) {
            Files.copy(in, program);
        }
        selfCheck = SelfCheck.inSandbox(SandboxPolicy.defaults(), true);
        health = new HealthMonitor(selfCheck, Set.of(HOST), Duration.ofHours(1), Clock.systemUTC());
        assertTrue(health.checkNow(Set.of(HOST), "the test's start").join().get(HOST).healthy());
        Coordinators coordinators = new Coordinators(List.of(CoordinatorAddress.parse("in-process:9090")),
                List.of(farm.channel()));
        ArtifactCache cache = new ArtifactCache(dir.resolve("cache"), Long.MAX_VALUE, 0,
                () -> AgentServiceGrpc.newBlockingStub(coordinators.channel()), path -> { }, Clock.systemUTC());
        RunOptions options = new RunOptions(List.of(coordinators.address()), Optional.of(NAME), 1,
                dir.resolve("cache"), Set.of(HOST), Duration.ofSeconds(5), Optional.empty(), Optional.empty(),
                true, false, 64L << 20, List.of(root), Duration.ofHours(1), Long.MAX_VALUE, 0, true);
        connection = new CoordinatorConnection(coordinators, new Advertisement(options, HostFacts.detect(), health,
                cache::health), request -> { }, scheduler);
        runner = new LeaseRunner(new CheckEngine(new NativeChecks(SandboxPolicy.defaults())), cache,
                HostPathRoots.of(List.of(root)), health, true, 1, connection);
        connection.start(runner);
        Poll.until(NAME + " is listed", () -> farm.agentNames().contains(NAME));
    }

    @AfterEach
    void stop() throws InterruptedException {
        connection.close();
        Poll.until(NAME + " has left the fleet", () -> !farm.agentNames().contains(NAME));
        runner.shutdown();
        scheduler.shutdownNow();
        health.close();
        selfCheck.close();
        farm.close();
    }

    @Test
    void theAgentIsListedAsItAdvertisesItself() {
        AgentInfo agent = SubmissionServiceGrpc.newBlockingStub(farm.channel())
                .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                .filter(a -> a.getName().equals(NAME)).findFirst().orElseThrow();
        assertEquals(List.of(CheckWire.architecture(HOST)), agent.getServesList());
        assertEquals(CheckWire.architecture(HOST), agent.getHealth(0).getArchitecture());
        assertEquals(dev.verifarm.proto.v1.Health.State.HEALTHY, agent.getHealth(0).getHealth().getState());
        assertEquals(1, agent.getMaxConcurrency());
    }

    @Test
    void aHostPathJobIsCheckedByTheAgentAndPasses() {
        Job job = farm.submit(job(hostPath(program.toString()), "main.addrOfMemcpyish"));

        Job passed = farm.await(job.getId(), "passed", j -> j.getState().getNumber() > Job.State.RUNNING_VALUE);

        assertEquals(Job.State.PASSED, passed.getState(), passed.getStatus());
        assertEquals(NAME, passed.getAttempts(0).getAgentName());
        assertEquals(Verdict.MATCH, passed.getAttempts(0).getReport().getResults(0).getVerdict());
    }

    @Test
    void anUploadedArtifactIsDownloadedByTheAgentAndAWrapperFailsTheJob() throws Exception {
        String sha256 = farm.upload("known-answers", Files.readAllBytes(program));
        Job job = farm.submit(job(ArtifactSource.newBuilder().setSha256(sha256).build(),
                "funcvalue:main.memcpyish"));

        Job failed = farm.await(job.getId(), "failed", j -> j.getState().getNumber() > Job.State.RUNNING_VALUE);

        assertEquals(Job.State.FAILED, failed.getState(), failed.getStatus());
        assertEquals(Verdict.WRAPPER, failed.getAttempts(0).getReport().getResults(0).getVerdict());
        assertEquals(sha256, failed.getAttempts(0).getReport().getArtifact().getSha256());
    }

    @Test
    void aHostPathOutsideTheAgentsRootsEndsTheJobInErrorWithoutARetry() {
        Job job = farm.submit(job(hostPath("/opt/elsewhere/known-answers"), "main.addrOfMemcpyish"));

        Job error = farm.await(job.getId(), "ended", j -> j.getState().getNumber() > Job.State.RUNNING_VALUE);

        assertEquals(Job.State.ERROR, error.getState(), error.getStatus());
        assertEquals(1, error.getAttemptsCount(), "a refused host path is the job's fault, not infrastructure's");
        assertTrue(error.getStatus().startsWith("attempt 1 on " + NAME + ": ERROR ("), error.getStatus());
        assertTrue(error.getStatus().contains("/opt/elsewhere/known-answers"), error.getStatus());
    }

    private static ArtifactSource hostPath(String path) {
        return ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder().setPath(path)
                .setArchitecture(CheckWire.architecture(HOST))).build();
    }

    private static SubmitJobRequest job(ArtifactSource artifact, String resolver) {
        return SubmitJobRequest.newBuilder().setArtifact(artifact).addExpectations(Expectation.newBuilder()
                .setKind(CheckKind.RESOLVE).setResolver(resolver).setTarget("main.memcpyish")).build();
    }
}
