package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.store.QuarantineEntity;
import dev.verifarm.coordinator.store.QuarantineEventEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The quarantine book: which agents are kept from which architecture's work, and the audit trail of every change.
 * Both are in the database, so a quarantine survives a restart and binds every coordinator sharing it. Every
 * method works in the caller's transaction.
 */
@ApplicationScoped
public class Quarantines {
    private static final Logger LOG = Logger.getLogger(Quarantines.class);
    /** The actor of automatic quarantines and readmissions. */
    public static final String COORDINATOR = "coordinator";
    private static final int REASON_LENGTH = 4000;

    private final Event<AutomaticQuarantine> automatic;

    @Inject
    Quarantines(Event<AutomaticQuarantine> automatic) {
        this.automatic = automatic;
    }

    /** The coordinator quarantined an agent for an architecture; fired in the transaction that did. */
    public record AutomaticQuarantine(String agentName, Architecture architecture, String reason) {
    }

    public List<Quarantine> all() {
        return QuarantineEntity.<QuarantineEntity>listAll().stream().map(Quarantine::of).toList();
    }

    public List<Quarantine> of(String agentName) {
        return QuarantineEntity.<QuarantineEntity>list("key.agentName = ?1 order by key.architecture", agentName)
                .stream().map(Quarantine::of).toList();
    }

    public List<Quarantine> of(Architecture architecture) {
        return QuarantineEntity.<QuarantineEntity>list("key.architecture", architecture).stream()
                .map(Quarantine::of).toList();
    }

    public Optional<Quarantine> find(String agentName, Architecture architecture) {
        return QuarantineEntity.<QuarantineEntity>findByIdOptional(
                new QuarantineEntity.Key(agentName, architecture), LockModeType.PESSIMISTIC_WRITE).map(Quarantine::of);
    }

    /**
     * An admin quarantines the agent: an automatic quarantine already there becomes the admin's, so that only an
     * admin lifts it. Returns the agent's quarantines as they are now.
     */
    public List<Quarantine> byAdmin(String agentName, Collection<Architecture> architectures, String admin,
                                    String reason) {
        Instant now = Instant.now();
        for (Architecture architecture : architectures) {
            QuarantineEntity row = QuarantineEntity.<QuarantineEntity>findByIdOptional(
                    new QuarantineEntity.Key(agentName, architecture), LockModeType.PESSIMISTIC_WRITE).orElse(null);
            if (row != null && !row.automatic) {
                continue;
            }
            boolean fresh = row == null;
            if (fresh) {
                row = new QuarantineEntity();
                row.key = new QuarantineEntity.Key(agentName, architecture);
                row.since = now;
            }
            row.automatic = false;
            row.actor = admin;
            row.reason = truncate(reason);
            if (fresh) {
                row.persist();
            }
            audit(agentName, architecture, AuditEntry.Action.QUARANTINED, false, admin, reason, now);
            LOG.infof("%s quarantined agent %s for %s: %s", admin, agentName, architecture, reason);
        }
        return of(agentName);
    }

    /** The coordinator quarantines the agent on evidence, unless it already is; true if this call did. */
    public boolean automatically(String agentName, Architecture architecture, String evidence) {
        if (find(agentName, architecture).isPresent()) {
            return false;
        }
        Instant now = Instant.now();
        QuarantineEntity row = new QuarantineEntity();
        row.key = new QuarantineEntity.Key(agentName, architecture);
        row.automatic = true;
        row.actor = COORDINATOR;
        row.reason = truncate(evidence);
        row.since = now;
        row.persist();
        audit(agentName, architecture, AuditEntry.Action.QUARANTINED, true, COORDINATOR, evidence, now);
        LOG.warnf("quarantined agent %s for %s: %s", agentName, architecture, evidence);
        automatic.fire(new AutomaticQuarantine(agentName, architecture, evidence));
        return true;
    }

    /** An admin readmits the agent, whoever quarantined it; returns the quarantines lifted. */
    public List<Quarantine> readmit(String agentName, Collection<Architecture> architectures, String admin,
                                    String reason) {
        List<Quarantine> lifted = new ArrayList<>();
        for (Architecture architecture : architectures) {
            find(agentName, architecture).ifPresent(q -> {
                lift(q, admin, reason);
                lifted.add(q);
            });
        }
        return lifted;
    }

    /**
     * The agent proved the architecture with a self-check at {@code checkedAt}: an automatic quarantine that began
     * before is lifted. An admin's stays until an admin readmits.
     */
    public Optional<Quarantine> selfCheckPassed(String agentName, Architecture architecture, Instant checkedAt) {
        Optional<Quarantine> liftable = find(agentName, architecture)
                .filter(q -> q.automatic() && q.since().isBefore(checkedAt));
        liftable.ifPresent(q -> lift(q, COORDINATOR, "its self-check for " + architecture + " passed at "
                + checkedAt));
        return liftable;
    }

    /** The agent's audit trail, oldest first. */
    public List<AuditEntry> history(String agentName) {
        return QuarantineEventEntity.<QuarantineEventEntity>list("agentName = ?1 order by at, id", agentName).stream()
                .map(AuditEntry::of).toList();
    }

    /** When the agent was last readmitted for the architecture, if ever. */
    Optional<Instant> lastReadmitted(String agentName, Architecture architecture) {
        return Optional.ofNullable(QuarantineEventEntity.getEntityManager().createQuery(
                        "select max(e.at) from QuarantineEventEntity e where e.agentName = ?1 and e.architecture = ?2"
                                + " and e.action = 'READMITTED'", Instant.class)
                .setParameter(1, agentName).setParameter(2, architecture).getSingleResult());
    }

    private void lift(Quarantine quarantine, String actor, String reason) {
        QuarantineEntity.deleteById(new QuarantineEntity.Key(quarantine.agentName(), quarantine.architecture()));
        audit(quarantine.agentName(), quarantine.architecture(), AuditEntry.Action.READMITTED,
                actor.equals(COORDINATOR), actor, reason, Instant.now());
        LOG.infof("%s readmitted agent %s for %s: %s", actor, quarantine.agentName(), quarantine.architecture(),
                reason);
    }

    private static void audit(String agentName, Architecture architecture, AuditEntry.Action action,
                              boolean automatic, String actor, String reason, Instant at) {
        QuarantineEventEntity row = new QuarantineEventEntity();
        row.agentName = agentName;
        row.architecture = architecture;
        row.action = action.name();
        row.automatic = automatic;
        row.actor = actor;
        row.reason = truncate(reason);
        row.at = at;
        row.persist();
    }

    private static String truncate(String text) {
        return text.length() <= REASON_LENGTH ? text : text.substring(0, REASON_LENGTH - 3) + "...";
    }
}
