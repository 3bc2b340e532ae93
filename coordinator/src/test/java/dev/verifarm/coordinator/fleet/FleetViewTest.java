package dev.verifarm.coordinator.fleet;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.problem.ConflictException;
import dev.verifarm.coordinator.scheduling.JobService;
import dev.verifarm.coordinator.store.CoordinatorInstanceEntity;
import dev.verifarm.coordinator.store.FleetAgentEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet as every coordinator sees it, from rows other coordinators wrote: here written by the test as another
 * coordinator would. arm64 only, so that no other test of this application finds a live agent of its own.
 */
@QuarkusTest
class FleetViewTest {
    @Inject
    FleetView fleet;
    @Inject
    JobService jobs;

    private final String coordinator = UUID.randomUUID().toString();

    @AfterEach
    void removeTheOtherCoordinator() {
        QuarkusTransaction.requiringNew().run(() -> {
            FleetAgentEntity.delete("coordinatorId", coordinator);
            CoordinatorInstanceEntity.deleteById(coordinator);
        });
    }

    @Test
    void theAgentsOfAnotherLiveCoordinatorAreListed() {
        otherCoordinator(Instant.now(), agent("elsewhere", Instant.now()));
        assertEquals(List.of("elsewhere"), names(fleet.serving(Architecture.ARM64)));
        assertEquals(coordinator, fleet.serving(Architecture.ARM64).get(0).coordinatorId());
    }

    @Test
    void anAgentListedTwiceWhileItMovesBetweenCoordinatorsIsOneHostAtItsNewestConnection() {
        FleetAgentEntity old = agent("mover", Instant.now().minusSeconds(60));
        FleetAgentEntity newer = agent("mover", Instant.now());
        otherCoordinator(Instant.now(), old, newer);
        List<FleetMember> serving = fleet.serving(Architecture.ARM64);
        assertEquals(1, serving.size(), serving.toString());
        assertEquals(newer.agentId, serving.get(0).id());
    }

    @Test
    void theAgentsOfACoordinatorGoneSilentAreLiveNowhereAndAreSwept() {
        otherCoordinator(Instant.now().minus(Duration.ofHours(1)), agent("orphan", Instant.now()));
        assertEquals(List.of(), names(fleet.serving(Architecture.ARM64)));
        Instant deadline = Instant.now().plusSeconds(30);
        while (QuarkusTransaction.requiringNew().call(() -> FleetAgentEntity.count("coordinatorId", coordinator)) > 0) {
            assertTrue(Instant.now().isBefore(deadline), "this coordinator's refresh did not sweep the silent one");
            pause(Duration.ofMillis(100));
        }
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> CoordinatorInstanceEntity.count("id",
                coordinator)));
    }

    @Test
    void aFleetWideJobNoLiveAgentServesIsRefusedSayingWhy() {
        ConflictException refused = assertThrows(ConflictException.class, () -> jobs.submit(fleetWideJob()));
        assertTrue(refused.getMessage().contains("no live agent serves arm64"), refused.getMessage());
    }

    @Test
    void aFleetWideJobTargetsTheAgentsOfOtherCoordinatorsByNameUntilItIsCancelled() {
        otherCoordinator(Instant.now(), agent("elsewhere", Instant.now()));
        String job = jobs.submit(fleetWideJob()).id();
        assertEquals(List.of("elsewhere"), unleasedTargets(job), "nothing here serves it: it waits for elsewhere");
        assertEquals(JobState.CANCELLED, jobs.cancel(job).state());
        assertEquals(List.of(), unleasedTargets(job), "a finished job waits for nobody");
    }

    @Test
    void aQueuedJobOnlyAnotherCoordinatorCanPlaceIsExplainedThereNotHere() {
        otherCoordinator(Instant.now(), agent("elsewhere", Instant.now()));
        String job = jobs.submit(job(false)).id();
        try {
            pause(Duration.ofSeconds(3));  // several dispatch rounds and poll intervals
            assertEquals("queued", jobs.get(job).status(), "this coordinator has no arm64 agent, elsewhere has");
            removeTheOtherCoordinator();
            Instant deadline = Instant.now().plusSeconds(30);
            while (!jobs.get(job).status().startsWith("waiting for an agent serving arm64")) {
                assertTrue(Instant.now().isBefore(deadline), "with no arm64 agent anywhere, this one explains");
                pause(Duration.ofMillis(100));
            }
        } finally {
            jobs.cancel(job);
        }
    }

    private static JobSpec fleetWideJob() {
        return job(true);
    }

    private static JobSpec job(boolean fleetWide) {
        return new JobSpec(new ArtifactSource.HostPath("/opt/stubs"), Optional.of(Architecture.ARM64),
                List.of(Expectation.of(CheckKind.RESOLVE, "main.addrOfMemcpyish",
                        "main.memcpyish", null)), false, ExecutionMode.STATIC, fleetWide, 0, Optional.empty(),
                Optional.empty(), false);
    }

    @SuppressWarnings("unchecked")
    private static List<String> unleasedTargets(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> FleetAgentEntity.getEntityManager().createNativeQuery(
                        "select agent_name from job_target where job_id = ?1 and lease_id is null")
                .setParameter(1, jobId).getResultList());
    }

    private void otherCoordinator(Instant seenAt, FleetAgentEntity... agents) {
        QuarkusTransaction.requiringNew().run(() -> {
            CoordinatorInstanceEntity row = new CoordinatorInstanceEntity();
            row.id = coordinator;
            row.startedAt = seenAt;
            row.seenAt = seenAt;
            row.persist();
            for (FleetAgentEntity agent : agents) {
                agent.coordinatorId = coordinator;
                agent.persist();
            }
        });
    }

    private static FleetAgentEntity agent(String name, Instant connectedAt) {
        FleetAgentEntity row = new FleetAgentEntity();
        row.agentId = UUID.randomUUID().toString();
        row.name = name;
        row.hostname = name;
        row.architecture = Architecture.ARM64;
        row.hostPaths = true;  // started with --host-path-root: the jobs here name a host path
        row.kernel = "6.1";
        row.cpu = "test";
        row.emulated = "";
        row.serves = "arm64";
        row.maxConcurrency = 1;
        row.agentVersion = "test";
        row.connectedAt = connectedAt;
        row.heartbeatAt = connectedAt;
        return row;
    }

    private static List<String> names(List<FleetMember> members) {
        return members.stream().map(FleetMember::name).toList();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
