package dev.verifarm.agent.farm;

import dev.verifarm.agent.wire.CheckWire;
import dev.verifarm.agent.testing.AgentModule;
import dev.verifarm.agent.testing.BrokenEmulator;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.ArchitectureHealth;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.CoordinatorMessage;
import dev.verifarm.proto.v1.ExecutionMode;
import dev.verifarm.proto.v1.Expectation;
import dev.verifarm.proto.v1.Health;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.SelfCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real agent process with a broken emulator first on its PATH, against a coordinator's agent face in this JVM:
 * what it advertises, what it does with a lease it should not run, and how it comes back.
 */
class AgentHealthTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final BrokenEmulator emulator = BrokenEmulator.create();
    private final Architecture foreign = CheckWire.architecture(emulator.foreign());
    private LoopbackCoordinator coordinator;
    private Process agent;
    private Path log;

    @BeforeEach
    void startCoordinator() throws IOException {
        coordinator = new LoopbackCoordinator();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        coordinator.close();
    }

    @Test
    void aBrokenEmulatorsArchitectureIsNotServedUntilASelfCheckPassesAgain() throws Exception {
        startAgent("1s");

        Register first = coordinator.awaitRegistration(r -> true, LIMIT);
        assertEquals(List.of(own()), first.getCapabilities().getServesList(), describe(first));
        assertEquals(Health.State.HEALTHY, health(first.getHealthList(), own()).getState());
        Health broken = health(first.getHealthList(), foreign);
        assertEquals(Health.State.UNHEALTHY, broken.getState(), describe(first));
        assertEquals("native resolve main.addrOfMemcpyish=main.memcpyish", broken.getCheck());
        assertTrue(broken.getReason().contains("broken on purpose"), broken.getReason());
        assertTrue(broken.hasCheckedAt());

        emulator.fix();

        Register readmitted = coordinator.awaitRegistration(r -> r.getCapabilities().getServesList()
                .contains(foreign), LIMIT);
        assertEquals(first.getAgentId(), readmitted.getAgentId(), "the agent keeps its id, and so its leases");
        assertEquals(Health.State.HEALTHY, health(readmitted.getHealthList(), foreign).getState());
    }

    @Test
    void aLeaseForAnUnhealthyArchitectureGoesBackAsAnInfrastructureFailure() throws Exception {
        startAgent("1h");
        coordinator.awaitRegistration(r -> true, LIMIT);

        coordinator.send(CoordinatorMessage.newBuilder().setLease(nativeLease("lease-1")).build());

        Result result = coordinator.awaitResult(LIMIT);
        assertEquals(InfrastructureFailure.Kind.TOOL_MISSING, result.getFailure().getKind(), result.toString());
        assertTrue(result.getFailure().getMessage().startsWith("this agent failed its "
                + emulator.foreign().goName() + " self-check"), "refused without running: "
                + result.getFailure().getMessage());
    }

    @Test
    void aNativeRunThatFailsBecauseTheHostBrokeIsTheHostsFailureNotTheProgramsOutcome() throws Exception {
        emulator.fix();
        startAgent("1h");
        Register healthy = coordinator.awaitRegistration(r -> true, LIMIT);
        assertTrue(healthy.getCapabilities().getServesList().contains(foreign), describe(healthy));
        emulator.breakIt();

        coordinator.send(CoordinatorMessage.newBuilder().setLease(nativeLease("lease-2")).build());

        Result result = coordinator.awaitResult(LIMIT);
        assertEquals(InfrastructureFailure.Kind.TOOL_MISSING, result.getFailure().getKind(), result.toString());
        assertTrue(result.getFailure().getMessage().startsWith("the native run failed"),
                result.getFailure().getMessage());
        Register withdrawn = coordinator.awaitRegistration(r -> true, LIMIT);
        assertEquals(List.of(own()), withdrawn.getCapabilities().getServesList(), describe(withdrawn));
        assertEquals(healthy.getAgentId(), withdrawn.getAgentId());
    }

    @Test
    void theCoordinatorCanAskForASelfCheckAtOnce() throws Exception {
        emulator.fix();
        startAgent("1h");
        coordinator.awaitRegistration(r -> true, LIMIT);
        emulator.breakIt();

        coordinator.send(CoordinatorMessage.newBuilder().setSelfCheck(SelfCheck.newBuilder()
                .addArchitectures(foreign).setReason("the test asks")).build());

        Register withdrawn = coordinator.awaitRegistration(r -> true, Duration.ofSeconds(30));
        assertEquals(List.of(own()), withdrawn.getCapabilities().getServesList(), describe(withdrawn));
        coordinator.awaitHeartbeat(h -> health(h.getHealthList(), foreign).getState() == Health.State.UNHEALTHY
                && h.getCacheHealth().getState() == Health.State.HEALTHY, LIMIT);
    }

    @Test
    void aStaticOnlyAgentServesDespiteABrokenEmulatorAndSendsNativeLeasesBack() throws Exception {
        startAgent("1h", "--static-only");

        Register registered = coordinator.awaitRegistration(r -> true, LIMIT);
        assertTrue(registered.getCapabilities().getServesList().contains(foreign), describe(registered));
        assertEquals(false, registered.getCapabilities().getNativeExecution());
        coordinator.send(CoordinatorMessage.newBuilder().setLease(nativeLease("lease-3")).build());
        Result result = coordinator.awaitResult(LIMIT);
        assertEquals(InfrastructureFailure.Kind.TOOL_MISSING, result.getFailure().getKind(), result.toString());
        assertTrue(result.getFailure().getMessage().contains("--static-only"), result.getFailure().getMessage());
    }

    @Test
    void aCacheDiskBelowItsFloorIsReportedWithTheNumbers() throws Exception {
        emulator.fix();
        startAgent("1h", "--cache-min-free", "1000000T");

        Register registered = coordinator.awaitRegistration(r -> true, LIMIT);

        Health cache = registered.getCacheHealth();
        assertEquals(Health.State.UNHEALTHY, cache.getState(), describe(registered));
        assertEquals("cache disk", cache.getCheck());
        assertTrue(cache.getReason().matches("the artifact cache's disk \\(.+\\) has [0-9.]+ ([KMGT]i)?B free, below"
                + " --cache-min-free 1000000\\.0 TiB, with .*"), cache.getReason());
        assertTrue(registered.getCapabilities().getServesList().contains(foreign), "its architectures stay healthy");
    }

    private Architecture own() {
        return foreign == Architecture.ARM64 ? Architecture.AMD64 : Architecture.ARM64;
    }

    private Lease nativeLease(String id) {
        Path program = AgentModule.target().resolve("classes/dev/verifarm/agent/health/known-answers-"
                + emulator.foreign().goName());
        return Lease.newBuilder().setLeaseId(id).setJobId("job-" + id).setAttempt(1).setArchitecture(foreign)
                .setMode(ExecutionMode.NATIVE)
                .setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder()
                        .setPath(program.toString()).setArchitecture(foreign)))
                .addExpectations(Expectation.newBuilder().setKind(CheckKind.RESOLVE)
                        .setResolver("main.addrOfMemcpyish").setTarget("main.memcpyish"))
                .build();
    }

    private static Health health(List<ArchitectureHealth> list, Architecture architecture) {
        return list.stream().filter(h -> h.getArchitecture() == architecture).findFirst()
                .map(ArchitectureHealth::getHealth).orElseThrow(() -> new AssertionError("no health of "
                        + architecture + " in " + list));
    }

    private String describe(Register r) throws IOException {
        return r + "\nagent log:\n" + Files.readString(log);
    }

    private void startAgent(String selfCheckInterval, String... extraArguments) throws IOException {
        log = Files.createTempFile("verifarm-agent-health-", ".log");
        log.toFile().deleteOnExit();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.verifarm.agent.cli.Main", "run",
                "--coordinator", coordinator.address(), "--insecure-plaintext", "--name", "health-test",
                "--max-concurrency", "2", "--self-check-interval", selfCheckInterval,
                "--cache-dir", Files.createTempDirectory("verifarm-agent-health-cache").toString(),
                "--host-path-root", AgentModule.target().toString()));
        command.addAll(List.of(extraArguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PATH", emulator.path());
        agent = builder.start();
    }
}
