package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.store.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Tells the queued jobs of an architecture why they wait. A dispatch round runs after every job change, so the
 * statuses are rewritten only when the reason changed or once per poll interval (for jobs queued since): rewriting
 * every waiting row every round made a deep queue cost quadratic time. A coordinator with no agent serving an
 * architecture leaves the explaining to those that have one (they see the same queue), at the cost of one fleet
 * read when it would rewrite. Used from the scheduling loop only.
 */
@ApplicationScoped
class WaitingJobs {
    private static final int BATCH = 500;
    /**
     * The rows to rewrite are locked as they are read, skipping those another coordinator holds (it is placing or
     * explaining them): two coordinators updating overlapping sets of rows in different orders deadlocked on
     * PostgreSQL, and a row skipped now is told on a later round.
     */
    private static final String LOCK_FREE_ROWS = " for update skip locked";
    private final Fleet fleet;
    private final FleetView fleetView;
    private final Duration pollInterval;
    private final Map<Architecture, Told> told = new EnumMap<>(Architecture.class);
    @Inject
    Admission admission;

    /** The reason the waiting jobs of an architecture were last given, and when. */
    private record Told(String why, Instant at) {
    }

    @Inject
    WaitingJobs(Fleet fleet, FleetView fleetView, CoordinatorConfig config) {
        this.fleet = fleet;
        this.fleetView = fleetView;
        this.pollInterval = config.dispatch().pollInterval();
    }

    /** In the current transaction: sets each waiting job's status, unless it was set to the same recently. */
    void explain(Architecture architecture, List<ConnectedAgent> serving) {
        String why = reason(architecture, serving);
        String whyHostPath = hostPathReason(architecture, serving).orElse(why);
        Instant now = Instant.now();
        Told last = told.get(architecture);
        if (last != null && last.why().equals(why + whyHostPath) && now.isBefore(last.at().plus(pollInterval))) {
            return;
        }
        told.put(architecture, new Told(why + whyHostPath, now));
        if (serving.isEmpty() && servedElsewhere(architecture)) {
            return;  // a coordinator holding agents that serve it says why its jobs wait; this one would contradict it
        }
        EntityManager em = JobEntity.getEntityManager();
        explainUnpinned(em, architecture, "host_path is null", why);
        explainUnpinned(em, architecture, "host_path is not null", whyHostPath);
        String pinned = "concat('waiting for its pinned agent ', pinned_agent)";
        inBatches(ids(em.createNativeQuery("select id from job where state = 'QUEUED' and architecture = ?1"
                        + " and pinned_agent is not null and status <> " + pinned + LOCK_FREE_ROWS)
                .setParameter(1, architecture.name())),
                batch -> em.createNativeQuery("update job set status = " + pinned
                        + " where state = 'QUEUED' and id in (?1)").setParameter(1, batch).executeUpdate());
    }

    private static void explainUnpinned(EntityManager em, Architecture architecture, String artifact, String why) {
        inBatches(ids(em.createNativeQuery("select id from job where state = 'QUEUED' and architecture = ?1"
                        + " and pinned_agent is null and not fleet_wide and " + artifact + " and status <> ?2"
                        + LOCK_FREE_ROWS)
                .setParameter(1, architecture.name()).setParameter(2, why)),
                batch -> em.createNativeQuery("update job set status = ?1 where state = 'QUEUED' and id in (?2)")
                        .setParameter(1, why).setParameter(2, batch).executeUpdate());
    }

    /**
     * Why a host-path job waits when agents serve its architecture but none of them reads host paths: its agents
     * would refuse it, so it is never leased to them.
     */
    private Optional<String> hostPathReason(Architecture architecture, List<ConnectedAgent> serving) {
        if (serving.isEmpty() || serving.stream().anyMatch(a -> a.registration().hostPaths())
                || fleetView.serving(architecture).stream().anyMatch(a -> !a.draining()
                && a.registration().hostPaths())) {
            return Optional.empty();
        }
        return Optional.of("waiting for an agent serving " + architecture + " that allows host paths: none of the "
                + serving.size() + " agent(s) serving " + architecture + " was started with --host-path-root");
    }

    /** Whether an agent connected to another coordinator sharing the database serves the architecture. */
    private boolean servedElsewhere(Architecture architecture) {
        return fleetView.serving(architecture).stream().anyMatch(a -> !a.draining() && fleet.find(a.id()).isEmpty());
    }

    private static void inBatches(List<String> ids, Consumer<List<String>> update) {
        for (int from = 0; from < ids.size(); from += BATCH) {
            update.accept(ids.subList(from, Math.min(ids.size(), from + BATCH)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Query query) {
        return query.getResultList();
    }

    /**
     * Why a job of {@code architecture} waits: no agent serves it, all that do are busy, unhealthy, quarantined or
     * draining. {@code serving}: the admitted ones.
     */
    private String reason(Architecture architecture, List<ConnectedAgent> serving) {
        if (!serving.isEmpty()) {
            return "waiting for a free slot: all " + serving.size() + " agent(s) serving " + architecture
                    + " are busy";
        }
        Optional<String> notAdmitted = admission.whyNoneAdmitted(architecture);
        if (notAdmitted.isPresent()) {
            return notAdmitted.get();
        }
        List<ConnectedAgent> all = fleet.agents();
        if (all.stream().anyMatch(a -> a.serves(architecture))) {
            return "waiting for an agent serving " + architecture + ": all that do are draining";
        }
        return "waiting for an agent serving " + architecture + "; agents present: "
                + (all.isEmpty() ? "none" : all.stream().map(ConnectedAgent::toString)
                .collect(Collectors.joining(", ")));
    }
}
