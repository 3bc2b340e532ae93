package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.fleet.AgentHealth;
import dev.verifarm.coordinator.fleet.AgentRegistration;
import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.Architecture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@code GET /api/v1/agents} shows of an agent's health. */
class AgentResponseTest {
    @Test
    void everyClaimedArchitecturesHealthIsListedInArchitectureOrderWithTheFailingCheck() {
        Instant at = Instant.parse("2026-12-05T05:55:00Z");
        AgentHealth health = new AgentHealth(Map.of(
                Architecture.ARM64, new Health(Health.State.UNHEALTHY, "native resolve x=y", "exit status 1",
                        Optional.of(at)),
                Architecture.AMD64, new Health(Health.State.HEALTHY, "", "", Optional.of(at))),
                Health.UNKNOWN);
        AgentRegistration registration = new AgentRegistration("a", "host", Architecture.AMD64, "6.1", "cpu", true,
                Set.of(Architecture.ARM64), Set.of(Architecture.AMD64), 1, "1.0", false);

        AgentResource.AgentResponse response = AgentResource.AgentResponse.of(new FleetMember("id", registration,
                health, "c", at, at, 0, false), List.of());

        assertEquals(List.of(
                new AgentResource.ArchitectureHealthResponse(Architecture.AMD64, Health.State.HEALTHY, "", "", at),
                new AgentResource.ArchitectureHealthResponse(Architecture.ARM64, Health.State.UNHEALTHY,
                        "native resolve x=y", "exit status 1", at)), response.health());
        assertEquals(new AgentResource.HealthResponse(Health.State.UNKNOWN, "", "", null), response.cacheHealth(),
                "checkedAt is absent while UNKNOWN");
    }
}
