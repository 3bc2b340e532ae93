package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.verifarm.coordinator.fleet.AgentRegistration;
import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.ContractEnums;
import dev.verifarm.coordinator.quarantine.AdminQuarantines;
import dev.verifarm.coordinator.quarantine.Quarantine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.util.List;

@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {
    private final FleetView fleet;
    private final AdminQuarantines quarantines;

    @Inject
    AgentResource(FleetView fleet, AdminQuarantines quarantines) {
        this.fleet = fleet;
        this.quarantines = quarantines;
    }

    /**
     * {@code serves}: the architectures the agent takes work for, natively or through qemu-user.
     * {@code draining}: it is stopping, finishes what it runs and takes nothing new.
     * {@code coordinatorId}: the coordinator, of those sharing the database, that holds the agent's stream.
     * {@code hostPaths}: it reads host-path artifacts (its operator named --host-path-root directories); host-path
     * jobs go to no other agent.
     * {@code health}: the latest known-answer self-checks of every architecture it claims, served or not (it stops
     * serving one it finds UNHEALTHY); {@code cacheHealth}: whether its artifact cache's disk has room.
     * {@code quarantines}: the architectures it is kept from, why and by whom (AgentQuarantineResource).
     */
    public record AgentResponse(String id, String name, String hostname,
                                Architecture architecture, List<Architecture> serves, List<Architecture> emulated,
                                String kernel, String cpu, int maxConcurrency, int running,
                                boolean draining, Instant connectedAt, Instant lastHeartbeatAt,
                                String agentVersion, String coordinatorId, boolean hostPaths,
                                List<ArchitectureHealthResponse> health, HealthResponse cacheHealth,
                                List<AgentQuarantineResource.QuarantineResponse> quarantines) {
        static AgentResponse of(FleetMember a, List<Quarantine> quarantined) {
            AgentRegistration r = a.registration();
            return new AgentResponse(a.id(), r.name(), r.hostname(), r.architecture(),
                    r.serves().stream().sorted().toList(), r.emulated().stream().sorted().toList(), r.kernel(), r.cpu(),
                    r.maxConcurrency(), a.running(), a.draining(), a.connectedAt(), a.lastHeartbeatAt(),
                    r.agentVersion(), a.coordinatorId(), r.hostPaths(), a.health().architectures().entrySet().stream()
                    .map(e -> ArchitectureHealthResponse.of(e.getKey(), e.getValue())).toList(),
                    HealthResponse.of(a.health().cache()), quarantined.stream()
                    .filter(q -> q.agentName().equals(r.name()))
                    .map(AgentQuarantineResource.QuarantineResponse::of).toList());
        }
    }

    /**
     * {@code check} and {@code reason}: UNHEALTHY, the failing check and what it got instead; empty otherwise.
     * {@code checkedAt}: absent while UNKNOWN.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArchitectureHealthResponse(Architecture architecture, Health.State state, String check,
                                             String reason, Instant checkedAt) {
        static ArchitectureHealthResponse of(Architecture architecture, Health health) {
            return new ArchitectureHealthResponse(architecture, health.state(), health.check(), health.reason(),
                    health.checkedAt().orElse(null));
        }
    }

    /** As {@link ArchitectureHealthResponse}, of the agent's artifact cache's disk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealthResponse(Health.State state, String check, String reason, Instant checkedAt) {
        static HealthResponse of(Health health) {
            return new HealthResponse(health.state(), health.check(), health.reason(),
                    health.checkedAt().orElse(null));
        }
    }

    @GET
    @Operation(summary = "The live agents of the whole fleet, whichever coordinator each is connected to, optionally"
            + " only those serving an architecture")
    public List<AgentResponse> list(@RestQuery String architecture) {
        List<Quarantine> quarantined = quarantines.current();
        return ContractEnums.parse(Architecture.class, "architecture", architecture).map(fleet::serving)
                .orElseGet(fleet::agents).stream().map(a -> AgentResponse.of(a, quarantined)).toList();
    }
}
