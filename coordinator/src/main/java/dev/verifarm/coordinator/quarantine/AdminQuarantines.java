package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.problem.NotFoundException;
import dev.verifarm.coordinator.scheduling.Dispatcher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/** What an admin does with quarantines, for the REST and gRPC faces alike. */
@ApplicationScoped
public class AdminQuarantines {
    private final Quarantines quarantines;
    private final Dispatcher dispatcher;

    @Inject
    AdminQuarantines(Quarantines quarantines, Dispatcher dispatcher) {
        this.quarantines = quarantines;
        this.dispatcher = dispatcher;
    }

    /**
     * Quarantines the agent for the architecture, or for every one; only an admin lifts it. The agent need not be
     * connected: a quarantine binds its name. Returns its quarantines as they are now.
     */
    public List<Quarantine> quarantine(String agentName, Optional<Architecture> architecture, String admin,
                                       String reason) {
        String why = required(reason);
        return QuarkusTransaction.requiringNew().call(() -> quarantines.byAdmin(named(agentName),
                architectures(architecture), admin, why));
    }

    /** Lifts the agent's quarantines for the architecture, or all of them; 404 if there was none to lift. */
    public List<Quarantine> readmit(String agentName, Optional<Architecture> architecture, String admin,
                                    String reason) {
        List<Quarantine> lifted = QuarkusTransaction.requiringNew().call(() -> quarantines.readmit(named(agentName),
                architectures(architecture), admin, reason == null || reason.isBlank() ? "readmitted" : reason));
        if (lifted.isEmpty()) {
            throw new NotFoundException("name", "agent " + agentName + " is not quarantined"
                    + architecture.map(a -> " for " + a).orElse(""));
        }
        dispatcher.poke();
        return QuarkusTransaction.requiringNew().call(() -> quarantines.of(agentName));
    }

    /** Every quarantine in force, of connected agents and absent ones. */
    public List<Quarantine> current() {
        return QuarkusTransaction.requiringNew().call(quarantines::all);
    }

    public List<AuditEntry> history(String agentName) {
        return QuarkusTransaction.requiringNew().call(() -> quarantines.history(named(agentName)));
    }

    private static List<Architecture> architectures(Optional<Architecture> architecture) {
        return architecture.map(List::of).orElseGet(() -> List.of(Architecture.values()));
    }

    private static String named(String agentName) {
        if (agentName == null || agentName.isBlank()) {
            throw new InvalidInputException("name", "an agent name is required");
        }
        return agentName;
    }

    private static String required(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason", "a reason is required: it goes into the audit trail");
        }
        return reason;
    }
}
