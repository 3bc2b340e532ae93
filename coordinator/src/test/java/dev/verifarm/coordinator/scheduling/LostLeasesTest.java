package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.testing.FakeAgent;
import dev.verifarm.coordinator.testing.InProcessFarm;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.Attempt;
import dev.verifarm.proto.v1.AttemptState;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Verdict;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases taken back: from an agent whose stream breaks, from one that stops heartbeating, and from an attempt that
 * runs past its deadline. The first two are requeued and run elsewhere; the last ends the job.
 */
@QuarkusTest
@TestProfile(FastScheduling.class)
class LostLeasesTest {
    private InProcessFarm farm;

    @BeforeEach
    void start() throws IOException {
        farm = InProcessFarm.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        farm.close();
    }

    @Test
    void aLeaseOfAnAgentWhoseStreamBreaksIsRequeuedAndRunsOnAnother() {
        FakeAgent lost = farm.agent("lost-broken", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64);
        Lease first = lost.nextLease();
        lost.progress(first, "started");
        FakeAgent other = farm.agent("lost-other", Architecture.AMD64);

        lost.breakOff();

        Lease second = other.nextLease();
        assertEquals(job.getId(), second.getJobId());
        assertEquals(2, second.getAttempt());
        Attempt expired = farm.job(job.getId()).getAttempts(0);
        assertEquals(AttemptState.ATTEMPT_EXPIRED, expired.getState());
        assertEquals(InfrastructureFailure.Kind.AGENT_LOST, expired.getFailure().getKind());
        assertEquals("no heartbeat from lost-broken renewed the lease", expired.getFailure().getMessage());
        other.report(second, Verdict.MATCH);
        farm.await(job.getId(), "passed on the other agent", j -> j.getState() == Job.State.PASSED);
        assertTrue(farm.history(job.getId()).stream().map(JobEvent::getMessage).anyMatch(m -> m.equals(
                "attempt 1 on lost-broken lost (AGENT_LOST): no heartbeat from lost-broken renewed the lease;"
                        + " requeued (attempt 2 of " + FastScheduling.MAX_ATTEMPTS + ")")),
                () -> farm.history(job.getId()).toString());
    }

    @Test
    void anAgentThatStopsHeartbeatingIsDroppedAndItsLeaseRunsOnAnother() {
        FakeAgent silent = farm.agent("lost-silent", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64);
        Lease first = silent.nextLease();
        // The lease may expire just before the agent is dropped (both wait the silence limit) and be placed again
        // while the silent agent is still listed: more free slots make this one the agent it goes to.
        FakeAgent other = farm.agent("lost-heartbeating", Architecture.AMD64, 4, true, Architecture.AMD64);

        silent.goSilent();

        Status dropped = silent.streamEnd();
        assertEquals(Status.Code.UNAVAILABLE, dropped.getCode());
        assertEquals("no heartbeat for over " + FastScheduling.SILENCE_LIMIT_MILLIS + " ms", dropped.getDescription());
        Lease second = other.nextLease();
        assertEquals(job.getId(), second.getJobId());
        assertEquals(first.getJobId(), second.getJobId());
        assertEquals(2, second.getAttempt());
        assertEquals(AttemptState.ATTEMPT_EXPIRED, farm.job(job.getId()).getAttempts(0).getState());
    }

    @Test
    void anAttemptPastItsDeadlineEndsTheJobTimedOutAndTheAgentIsToldToStop() {
        FakeAgent agent = farm.agent("lost-slow", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64, Optional.of(Duration.ofSeconds(1)));
        Lease lease = agent.nextLease();
        agent.progress(lease, "started");

        Job timedOut = farm.await(job.getId(), "timed out", j -> j.getState() == Job.State.TIMED_OUT);

        assertEquals(1, timedOut.getAttemptsCount(), "a timeout is not retried");
        Attempt attempt = timedOut.getAttempts(0);
        assertEquals(AttemptState.ATTEMPT_EXPIRED, attempt.getState());
        assertEquals(InfrastructureFailure.Kind.TIMEOUT, attempt.getFailure().getKind());
        assertTrue(timedOut.getStatus().startsWith("attempt 1 on lost-slow lost (TIMEOUT): it ran past its deadline"),
                timedOut.getStatus());
        assertEquals("the attempt timed out", agent.cancelReason(lease.getLeaseId()));
    }
}
