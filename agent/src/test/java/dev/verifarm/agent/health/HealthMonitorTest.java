package dev.verifarm.agent.health;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.NativeMode;
import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor over the real known-answer programs and engine, with a native mode the test can break: what it
 * reports, when it tells the agent, and when a lease's question costs a new self-check.
 */
class HealthMonitorTest {
    private static final Architecture HOST = Architecture.host().orElseThrow();

    @TempDir
    Path programs;

    private final AtomicBoolean broken = new AtomicBoolean();
    private final AtomicInteger nativeRuns = new AtomicInteger();
    private HealthMonitor monitor;

    /** The real native mode, or while {@code broken} what a host whose sandbox cannot start answers. */
    private final NativeMode nativeMode = (artifact, expectations, cancellation) -> {
        nativeRuns.incrementAndGet();
        if (broken.get()) {
            return expectations.stream().map(x -> CheckResult.error(x, "native mode: the sandbox is broken")).toList();
        }
        return new NativeChecks(SandboxPolicy.defaults()).run(artifact, expectations, cancellation);
    };

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void everyArchitectureIsUnknownUntilItsFirstSelfCheck() {
        monitor = monitor(Set.of(Architecture.AMD64, Architecture.ARM64));

        assertEquals(Map.of(Architecture.AMD64, Health.UNKNOWN, Architecture.ARM64, Health.UNKNOWN),
                monitor.health());
        assertEquals(Set.of(), monitor.healthy());
    }

    @Test
    void aHostThatAnswersRightlyIsHealthyWithWhenItWasChecked() {
        monitor = monitor(Set.of(HOST));
        Instant before = Instant.now();

        Health health = monitor.checkNow(List.of(HOST), "test").join().get(HOST);

        assertTrue(health.healthy(), health.toString());
        assertTrue(!health.checkedAt().orElseThrow().isBefore(before));
        assertEquals(Set.of(HOST), monitor.healthy());
    }

    @Test
    void aWrongNativeAnswerIsUnhealthyNamingTheCheckAndTheAgentIsToldOncePerChange() {
        monitor = monitor(Set.of(HOST));
        AtomicInteger changes = new AtomicInteger();
        monitor.onChange(changes::incrementAndGet);
        monitor.checkNow(List.of(HOST), "test").join();
        broken.set(true);

        Health health = monitor.checkNow(List.of(HOST), "test").join().get(HOST);
        monitor.checkNow(List.of(HOST), "test").join();

        assertTrue(health.unhealthy());
        assertEquals("native resolve main.addrOfMemcpyish=main.memcpyish", health.check());
        assertEquals("expected MATCH, got ERROR: native mode: the sandbox is broken (the known-answer program speaks"
                + " the probe protocol: this host's sandbox or emulator failed)", health.reason());
        assertEquals(2, changes.get(), "UNKNOWN to HEALTHY, HEALTHY to UNHEALTHY; the same again is no change");
        broken.set(false);
        assertTrue(monitor.checkNow(List.of(HOST), "test").join().get(HOST).healthy());
        assertEquals(3, changes.get());
    }

    @Test
    void confirmingReusesACheckThatEndedAfterTheFailureAndRunsOneOtherwise() {
        monitor = monitor(Set.of(HOST));
        Instant failedAt = Instant.now();
        Health after = monitor.checkNow(List.of(HOST), "test").join().get(HOST);
        int runs = nativeRuns.get();

        assertSame(after, monitor.confirm(HOST, failedAt), "ended after the failure: it stands");
        assertEquals(runs, nativeRuns.get());
        Health fresh = monitor.confirm(HOST, Instant.now());
        assertEquals(runs + 1, nativeRuns.get(), "older than the failure: checked again");
        assertTrue(fresh.healthy());
    }

    @Test
    void anArchitectureTheAgentDoesNotRunIsNeverChecked() {
        monitor = monitor(Set.of(HOST));

        assertEquals(Map.of(), monitor.checkNow(List.of(other()), "test").join());
        assertTrue(monitor.confirm(other(), Instant.now()).unhealthy());
    }

    private static Architecture other() {
        return HOST == Architecture.AMD64 ? Architecture.ARM64 : Architecture.AMD64;
    }

    private HealthMonitor monitor(Set<Architecture> claimed) {
        return new HealthMonitor(new SelfCheck(new CheckEngine(nativeMode),
                List.of(ExecutionMode.STATIC, ExecutionMode.NATIVE), programs, Clock.systemUTC()), claimed,
                Duration.ofHours(1), Clock.systemUTC());
    }
}
