package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.testing.FakeAgent;
import dev.verifarm.coordinator.testing.InProcessFarm;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.AttemptState;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Verdict;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What an agent's answer does to its job: a verdict settles it at once, an infrastructure failure is retried while
 * verifarm.job.max-attempts allows, and a cancel reaches the agent running it.
 */
@QuarkusTest
@TestProfile(FastScheduling.class)
class OutcomesTest {
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
    void aRunningJobShowsItsAgentAndAMatchPassesIt() {
        FakeAgent agent = farm.agent("outcomes-match", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64);
        Lease lease = agent.nextLease();

        agent.progress(lease, "started");
        Job running = farm.await(job.getId(), "running", j -> j.getState() == Job.State.RUNNING);
        assertEquals("running on outcomes-match", running.getStatus());
        assertEquals(AttemptState.ATTEMPT_RUNNING, running.getAttempts(0).getState());

        agent.report(lease, Verdict.MATCH);
        Job passed = farm.await(job.getId(), "passed", j -> j.getState() == Job.State.PASSED);
        assertEquals("attempt 1 on outcomes-match: PASSED (main.addrOfMemcpyish=main.memcpyish MATCH)",
                passed.getStatus());
        assertEquals(AttemptState.ATTEMPT_FINISHED, passed.getAttempts(0).getState());
        assertEquals(Verdict.MATCH, passed.getAttempts(0).getReport().getResults(0).getVerdict());
    }

    @Test
    void aFailedVerificationEndsTheJobWithoutARetry() {
        FakeAgent agent = farm.agent("outcomes-mismatch", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64);
        Lease lease = agent.nextLease();

        agent.report(lease, Verdict.WRAPPER);

        Job failed = farm.await(job.getId(), "failed", j -> j.getState() == Job.State.FAILED);
        assertEquals(1, failed.getAttemptsCount());
        assertEquals("attempt 1 on outcomes-mismatch: FAILED (main.addrOfMemcpyish=main.memcpyish WRAPPER)",
                failed.getStatus());
        assertEquals(1, agent.leasesReceived().size());
    }

    @Test
    void anInfrastructureFailureIsRetriedAndTheRetryCounts() {
        FakeAgent agent = farm.agent("outcomes-retried", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64);
        Lease first = agent.nextLease();

        agent.fail(first, InfrastructureFailure.Kind.ARTIFACT_UNAVAILABLE, "no such file");

        Lease second = agent.nextLease();
        assertEquals(job.getId(), second.getJobId());
        assertEquals(2, second.getAttempt());
        assertEquals(AttemptState.ATTEMPT_FAILED, farm.job(job.getId()).getAttempts(0).getState());
        agent.report(second, Verdict.MATCH);
        Job passed = farm.await(job.getId(), "passed", j -> j.getState() == Job.State.PASSED);
        assertEquals(2, passed.getAttemptsCount());
    }

    @Test
    void anInfrastructureFailureOnTheLastAttemptEndsTheJobInError() {
        FakeAgent agent = farm.agent("outcomes-exhausted", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64);
        for (int attempt = 1; attempt < FastScheduling.MAX_ATTEMPTS; attempt++) {
            agent.fail(agent.nextLease(), InfrastructureFailure.Kind.TOOL_MISSING, "no qemu-aarch64-static");
        }
        Lease last = agent.nextLease();
        assertEquals(FastScheduling.MAX_ATTEMPTS, last.getAttempt());

        agent.fail(last, InfrastructureFailure.Kind.TOOL_MISSING, "no qemu-aarch64-static");

        Job error = farm.await(job.getId(), "in error", j -> j.getState() == Job.State.ERROR);
        assertEquals(FastScheduling.MAX_ATTEMPTS, error.getAttemptsCount());
        assertEquals("attempt " + FastScheduling.MAX_ATTEMPTS + " on outcomes-exhausted failed (TOOL_MISSING): no"
                + " qemu-aarch64-static", error.getStatus());
        error.getAttemptsList().forEach(a -> assertEquals(AttemptState.ATTEMPT_FAILED, a.getState()));
    }

    @Test
    void cancellingARunningJobTellsItsAgentAndIgnoresItsLateResult() {
        FakeAgent agent = farm.agent("outcomes-cancelled", Architecture.AMD64);
        Job job = farm.submit(Architecture.AMD64);
        Lease lease = agent.nextLease();
        agent.progress(lease, "started");
        farm.await(job.getId(), "running", j -> j.getState() == Job.State.RUNNING);

        Job cancelled = farm.cancel(job.getId());

        assertEquals(Job.State.CANCELLED, cancelled.getState());
        assertEquals(AttemptState.ATTEMPT_CANCELLED, cancelled.getAttempts(0).getState());
        assertEquals("the job was cancelled", agent.cancelReason(lease.getLeaseId()));
        agent.report(lease, Verdict.MATCH);
        // The agent's messages take effect in order: once the next job has passed, the late result was handled.
        Job next = farm.submit(Architecture.AMD64);
        agent.report(agent.nextLease(), Verdict.MATCH);
        farm.await(next.getId(), "the next job passed", j -> j.getState() == Job.State.PASSED);
        Job after = farm.job(job.getId());
        assertEquals(Job.State.CANCELLED, after.getState());
        assertEquals(AttemptState.ATTEMPT_CANCELLED, after.getAttempts(0).getState());
        assertFalse(after.getAttempts(0).hasReport(), "the late result was recorded");
    }
}
