package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.access.Role;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.ContractEnums;
import dev.verifarm.coordinator.quarantine.AdminQuarantines;
import dev.verifarm.coordinator.quarantine.AuditEntry;
import dev.verifarm.coordinator.quarantine.Quarantine;
import dev.verifarm.coordinator.security.Requires;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestPath;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An agent's quarantines: admins put and lift them, everyone may read the audit trail. */
@Path("/api/v1/agents/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class AgentQuarantineResource {
    private final AdminQuarantines quarantines;
    private final RestCaller caller;

    @Inject
    AgentQuarantineResource(AdminQuarantines quarantines, RestCaller caller) {
        this.quarantines = quarantines;
        this.caller = caller;
    }

    /** {@code architecture}: absent for every architecture. {@code reason}: required to quarantine. */
    public record QuarantineBody(@Schema(enumeration = {"AMD64", "ARM64"}) String architecture, String reason) {
    }

    /**
     * {@code automatic}: put by the coordinator on evidence, lifted by a passing self-check; otherwise an admin's,
     * lifted only by an admin. {@code by}: the admin's token name, or {@code coordinator}.
     */
    public record QuarantineResponse(String agent, Architecture architecture, boolean automatic, String by,
                                     String reason, Instant since) {
        static QuarantineResponse of(Quarantine q) {
            return new QuarantineResponse(q.agentName(), q.architecture(), q.automatic(), q.actor(), q.reason(),
                    q.since());
        }
    }

    /** {@code action}: QUARANTINED or READMITTED. */
    public record AuditResponse(String agent, Architecture architecture, AuditEntry.Action action, boolean automatic,
                                String by, String reason, Instant at) {
        static AuditResponse of(AuditEntry e) {
            return new AuditResponse(e.agentName(), e.architecture(), e.action(), e.automatic(), e.actor(),
                    e.reason(), e.at());
        }
    }

    @POST
    @Path("/quarantine")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.ADMIN)
    @Operation(summary = "Quarantine the agent for an architecture, or every one: it is leased no such work until an"
            + " admin readmits it; answers its quarantines as they are now")
    public List<QuarantineResponse> quarantine(@RestPath String name, QuarantineBody body) {
        QuarantineBody b = body == null ? new QuarantineBody(null, null) : body;
        return quarantines.quarantine(name, architecture(b), caller.get().name(), b.reason()).stream()
                .map(QuarantineResponse::of).toList();
    }

    @POST
    @Path("/readmit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.ADMIN)
    @Operation(summary = "Lift the agent's quarantine for an architecture, or all of them, whoever put it; answers"
            + " the quarantines left")
    public List<QuarantineResponse> readmit(@RestPath String name, QuarantineBody body) {
        QuarantineBody b = body == null ? new QuarantineBody(null, null) : body;
        return quarantines.readmit(name, architecture(b), caller.get().name(), b.reason()).stream()
                .map(QuarantineResponse::of).toList();
    }

    @GET
    @Path("/quarantine-history")
    @Operation(summary = "The agent's quarantine audit trail, oldest first: who quarantined or readmitted it, when"
            + " and why")
    public List<AuditResponse> history(@RestPath String name) {
        return quarantines.history(name).stream().map(AuditResponse::of).toList();
    }

    private static Optional<Architecture> architecture(QuarantineBody body) {
        return ContractEnums.parse(Architecture.class, "architecture", body.architecture());
    }
}
