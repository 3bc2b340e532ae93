package dev.verifarm.agent.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.cli.RunArguments;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.proto.v1.AgentMessage;
import dev.verifarm.proto.v1.AgentServiceGrpc;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's stream to its coordinators, over grpc-java's in-process transport to fake coordinators: registering,
 * heartbeats, leases and their results, and what survives a broken stream.
 */
class CoordinatorConnectionTest {
    private static final Path STUBS = new StubsFixture(GoArch.AMD64, BuildVariant.DEFAULT).binary();

    @TempDir
    Path dir;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private FakeCoordinator first;
    private FakeCoordinator second;
    private CoordinatorConnection connection;
    private LeaseRunner runner;
    private ProvenHealth health;

    @BeforeEach
    void start() throws IOException {
        first = new FakeCoordinator();
        second = new FakeCoordinator();
        Coordinators coordinators = new Coordinators(
                List.of(CoordinatorAddress.parse("first:9090"), CoordinatorAddress.parse("second:9090")),
                List.of(first.channel(), second.channel()));
        health = ProvenHealth.ofHost();
        ArtifactCache cache = ProvenHealth.cache(dir.resolve("cache"),
                () -> AgentServiceGrpc.newBlockingStub(coordinators.channel()));
        RunOptions options = RunArguments.parse("--coordinator", "first:9090,second:9090",
                "--name", "test-agent", "--max-concurrency", "1", "--static-only");
        connection = new CoordinatorConnection(coordinators, new Advertisement(options, HostFacts.detect(),
                health.monitor(), cache::health), request -> { }, scheduler);
        Path root = Files.createDirectories(dir.resolve("artifacts"));
        Files.copy(STUBS, root.resolve("stubs"));
        runner = new LeaseRunner(new CheckEngine(new NativeChecks(SandboxPolicy.defaults())), cache,
                HostPathRoots.of(List.of(root)), health.monitor(), true, 1, connection);
        connection.start(runner);
    }

    @AfterEach
    void stop() throws InterruptedException {
        connection.close();
        runner.shutdown();
        scheduler.shutdownNow();
        health.close();
        first.close();
        second.close();
    }

    private Lease lease(String id) {
        return Lease.newBuilder().setLeaseId(id).setAttempt(1)
                .setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder()
                        .setPath(dir.resolve("artifacts/stubs").toString())
                        .setArchitecture(dev.verifarm.proto.v1.Architecture.AMD64)))
                .addExpectations(Expectation.newBuilder().setKind(CheckKind.RESOLVE)
                        .setResolver("main.addrOfMemcpyish").setTarget("main.memcpyish"))
                .build();
    }

    private static AgentMessage result(String leaseId) {
        return AgentMessage.newBuilder().setResult(Result.newBuilder().setLeaseId(leaseId).setAttempt(1)).build();
    }

    /** Waits for the registration on a new stream of {@code coordinator} and answers it. */
    private FakeCoordinator.Stream registered(FakeCoordinator coordinator, String expectedId) throws Exception {
        FakeCoordinator.Stream stream = coordinator.nextStream();
        Register register = stream.next(AgentMessage::hasRegister).getRegister();
        assertEquals("test-agent", register.getName());
        assertEquals(expectedId, register.getAgentId());
        stream.register("agent-1", 100);
        return stream;
    }

    @Test
    void itRegistersWithoutAnIdAtFirstThenHeartbeats() throws Exception {
        FakeCoordinator.Stream stream = registered(first, "");

        assertEquals(List.of(), stream.next(AgentMessage::hasHeartbeat).getHeartbeat().getRunningLeaseIdsList());
    }

    @Test
    void aLeaseIsCheckedAndItsProgressAndResultComeBackOnTheStream() throws Exception {
        FakeCoordinator.Stream stream = registered(first, "");

        stream.send(CoordinatorMessage.newBuilder().setLease(lease("l1")).build());

        assertEquals("started", stream.next(AgentMessage::hasProgress).getProgress().getMessage());
        Result result = stream.next(AgentMessage::hasResult).getResult();
        assertEquals("l1", result.getLeaseId());
        assertEquals(Verdict.MATCH, result.getReport().getResults(0).getVerdict(), result.toString());
    }

    @Test
    void aBrokenStreamIsReopenedOnTheNextCoordinatorUnderTheSameAgentId() throws Exception {
        FakeCoordinator.Stream stream = registered(first, "");

        stream.breakOff();

        FakeCoordinator.Stream again = registered(second, "agent-1");
        again.next(AgentMessage::hasHeartbeat);
    }

    @Test
    void aResultFinishedWhileDisconnectedIsDeliveredAfterTheNextRegistration() throws Exception {
        registered(first, "").breakOff();
        FakeCoordinator.Stream again = second.nextStream();
        again.next(AgentMessage::hasRegister);

        connection.accept(result("finished-offline"));
        again.register("agent-1", 60_000);

        assertEquals("finished-offline", again.next(AgentMessage::hasResult).getResult().getLeaseId());
    }

    @Test
    void aDrainIsSentNowAndRepeatedAfterAReconnect() throws Exception {
        FakeCoordinator.Stream stream = registered(first, "");

        connection.drain("the agent is stopping");

        assertEquals("the agent is stopping", stream.next(AgentMessage::hasDrain).getDrain().getReason());
        stream.breakOff();
        FakeCoordinator.Stream again = registered(second, "agent-1");
        assertEquals("the agent is stopping", again.next(AgentMessage::hasDrain).getDrain().getReason());
    }
}
