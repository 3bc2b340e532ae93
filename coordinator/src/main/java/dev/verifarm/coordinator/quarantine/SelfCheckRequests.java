package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.fleet.Fleet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/**
 * Asks an agent the coordinator has just quarantined to run its self-checks for that architecture now, so that a
 * passing one readmits it within moments rather than at its next self-check interval. An agent connected to another
 * coordinator is asked when it next registers ({@link HealthWatch}).
 */
@ApplicationScoped
class SelfCheckRequests {
    private final Fleet fleet;

    @Inject
    SelfCheckRequests(Fleet fleet) {
        this.fleet = fleet;
    }

    void onQuarantine(@Observes(during = TransactionPhase.AFTER_SUCCESS) Quarantines.AutomaticQuarantine quarantine) {
        fleet.agents().stream().filter(a -> a.registration().name().equals(quarantine.agentName()))
                .forEach(a -> a.channel().selfCheck(quarantine.architecture(), "quarantined: " + quarantine.reason()));
    }
}
