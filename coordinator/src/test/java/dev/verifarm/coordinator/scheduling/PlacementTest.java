package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.testing.FakeAgent;
import dev.verifarm.coordinator.testing.InProcessFarm;
import dev.verifarm.proto.v1.Architecture;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.Lease;
import dev.verifarm.proto.v1.Verdict;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static dev.verifarm.coordinator.AdminRequests.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where the coordinator places a job, and what a job it cannot place says: fake agents on the coordinator's own
 * agent face, jobs through its submission face.
 */
@QuarkusTest
@TestProfile(FastScheduling.class)
class PlacementTest {
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
    void aJobIsLeasedToAnAgentServingItsArchitectureAndNotToOneThatDoesNot() {
        FakeAgent amd = farm.agent("placement-amd", Architecture.AMD64);
        FakeAgent arm = farm.agent("placement-arm", Architecture.ARM64);

        Job job = farm.submit(Architecture.ARM64);

        Lease lease = arm.nextLease();
        assertEquals(job.getId(), lease.getJobId());
        assertEquals(1, lease.getAttempt());
        assertEquals(Architecture.ARM64, lease.getArchitecture());
        assertEquals("/opt/verifarm/artifacts/stubs", lease.getArtifact().getHostPath().getPath());
        assertEquals(job.getExpectationsList(), lease.getExpectationsList());
        Job leased = farm.job(job.getId());
        assertEquals(Job.State.LEASED, leased.getState());
        assertEquals("leased to placement-arm (arm64)", leased.getStatus());
        assertEquals(arm.id(), leased.getAttempts(0).getAgentId());

        arm.report(lease, Verdict.MATCH);
        farm.await(job.getId(), "passed", j -> j.getState() == Job.State.PASSED);
        assertEquals(List.of(), amd.leasesReceived(), "the amd64 agent was offered the arm64 job");
    }

    @Test
    void anAgentEmulatingAnArchitectureTakesItsJobs() {
        FakeAgent emulating = farm.agent("placement-emulating", Architecture.AMD64, 1, true, Architecture.AMD64,
                Architecture.ARM64);

        Job job = farm.submit(Architecture.ARM64);

        assertEquals(job.getId(), emulating.nextLease().getJobId());
        assertEquals(Job.State.LEASED, farm.job(job.getId()).getState());
        assertEquals(emulating.id(), farm.job(job.getId()).getAttempts(0).getAgentId());
    }

    @Test
    void aJobNoAgentServesSaysSoOnBothFacesAndIsLeasedWhenOneComes() {
        FakeAgent amd = farm.agent("placement-only-amd", Architecture.AMD64);

        Job job = farm.submit(Architecture.ARM64);

        String why = "waiting for an agent serving arm64; agents present: placement-only-amd (amd64)";
        farm.await(job.getId(), "explained", j -> j.getStatus().equals(why));
        assertEquals(Job.State.QUEUED, farm.job(job.getId()).getState());
        assertEquals(why, admin().get("/api/v1/jobs/" + job.getId()).then().statusCode(200)
                .extract().path("status"));
        assertEquals("QUEUED", admin().get("/api/v1/jobs/" + job.getId()).then().extract().path("state"));

        FakeAgent arm = farm.agent("placement-late-arm", Architecture.ARM64);
        assertEquals(job.getId(), arm.nextLease().getJobId());
        assertEquals(List.of(), amd.leasesReceived());
    }

    @Test
    void aJobBehindABusyAgentWaitsForAFreeSlotAndTakesIt() {
        FakeAgent agent = farm.agent("placement-busy", Architecture.AMD64);
        Job first = farm.submit(Architecture.AMD64);
        Lease lease = agent.nextLease();

        Job second = farm.submit(Architecture.AMD64);

        farm.await(second.getId(), "explained", j -> j.getStatus().equals(
                "waiting for a free slot: every agent serving amd64 is busy"));
        agent.report(lease, Verdict.MATCH);
        assertEquals(second.getId(), agent.nextLease().getJobId());
        assertEquals(Job.State.PASSED, farm.job(first.getId()).getState());
    }

    @Test
    void aDrainingAgentIsGivenNothingNewAndTheJobSaysWhy() {
        FakeAgent agent = farm.agent("placement-draining", Architecture.AMD64);
        agent.drain("the test stops it");

        Job job = farm.submit(Architecture.AMD64);

        farm.await(job.getId(), "explained", j -> j.getStatus().equals(
                "waiting for an agent serving amd64: all that do are draining"));
        assertEquals(List.of(), agent.leasesReceived());
    }

    @Test
    void aHostPathJobWaitsForAnAgentThatReadsHostPaths() {
        FakeAgent noHostPaths = farm.agent("placement-no-host-paths", Architecture.AMD64, 1, false,
                Architecture.AMD64);

        Job job = farm.submit(Architecture.AMD64);

        farm.await(job.getId(), "explained", j -> j.getStatus().equals("waiting for an agent serving amd64 that"
                + " allows host paths: none of the 1 agent(s) serving amd64 was started with --host-path-root"));
        FakeAgent reader = farm.agent("placement-host-paths", Architecture.AMD64);
        assertEquals(job.getId(), reader.nextLease().getJobId());
        assertEquals(List.of(), noHostPaths.leasesReceived());
    }
}
