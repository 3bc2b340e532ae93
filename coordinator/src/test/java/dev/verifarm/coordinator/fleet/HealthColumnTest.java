package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Architecture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An agent's health as the fleet row keeps it for the other coordinators. */
class HealthColumnTest {
    @Test
    void anAgentsHealthReadsBackAsItWasWritten() {
        Instant at = Instant.parse("2026-12-05T05:55:00.123456Z");
        AgentHealth health = new AgentHealth(Map.of(
                Architecture.AMD64, new Health(Health.State.HEALTHY, "", "", Optional.of(at)),
                Architecture.ARM64, new Health(Health.State.UNHEALTHY, "native resolve x=y", "exit status 1",
                        Optional.of(at))),
                Health.UNKNOWN);

        assertEquals(health, HealthColumn.read(HealthColumn.written(health)));
    }

    @Test
    void aRowWrittenBeforeAgentsReportedHealthReadsAsUnreported() {
        assertEquals(AgentHealth.UNREPORTED, HealthColumn.read(null));
    }
}
