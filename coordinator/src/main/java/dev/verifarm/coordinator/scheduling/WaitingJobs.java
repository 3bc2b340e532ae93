package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.fleet.ConnectedAgent;
import dev.verifarm.coordinator.fleet.Fleet;
import dev.verifarm.coordinator.fleet.FleetView;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.store.JobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
    private static final int BATCH = 200;
    private static final int MAX_BATCHES = 500;
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

    /**
     * Sets each waiting job's status, unless it was set to the same recently. In short transactions of its own, a
     * batch each, youngest jobs first: the rows a batch locks are skipped by other coordinators' claims, which take
     * the oldest, so telling never holds up placing.
     */
    void explain(Architecture architecture, List<ConnectedAgent> serving) {
        Optional<Reasons> reasons = QuarkusTransaction.requiringNew().call(() -> toTell(architecture, serving));
        reasons.ifPresent(r -> {
            String queued = "state = 'QUEUED' and architecture = '" + architecture.name() + "'";
            String unpinned = queued + " and pinned_agent is null and not fleet_wide and ";
            rewrite(unpinned + "host_path is null", "?1", r.why());
            rewrite(unpinned + "host_path is not null", "?1", r.whyHostPath());
            rewrite(queued + " and pinned_agent is not null", "concat('waiting for its pinned agent ', pinned_agent)",
                    null);
        });
    }

    private record Reasons(String why, String whyHostPath) {
    }

    /** The reasons to give now, or none if they were given recently or another coordinator gives them. */
    private Optional<Reasons> toTell(Architecture architecture, List<ConnectedAgent> serving) {
        String why = reason(architecture, serving);
        String whyHostPath = hostPathReason(architecture, serving).orElse(why);
        Instant now = Instant.now();
        Told last = told.get(architecture);
        if (last != null && last.why().equals(why + whyHostPath) && now.isBefore(last.at().plus(pollInterval))) {
            return Optional.empty();
        }
        told.put(architecture, new Told(why + whyHostPath, now));
        if (serving.isEmpty() && servedElsewhere(architecture)) {
            return Optional.empty();  // a coordinator holding agents that serve it says why its jobs wait
        }
        return Optional.of(new Reasons(why, whyHostPath));
    }

    /**
     * Sets {@code status} (an SQL expression, {@code ?1} for {@code value}) on the jobs {@code where} selects
     * whose status differs, a batch per transaction, skipping rows another coordinator holds: two coordinators
     * updating overlapping rows in different orders deadlocked on PostgreSQL, and a row skipped now is told on a
     * later round. Bounded, in case two coordinators keep giving the same rows different reasons.
     */
    private static void rewrite(String where, String status, String value) {
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int rewritten = QuarkusTransaction.requiringNew().call(() -> {
                EntityManager em = JobEntity.getEntityManager();
                Query select = em.createNativeQuery("select id from job where " + where + " and status <> " + status
                        + " order by submitted_at desc limit " + BATCH + " for update skip locked");
                List<String> ids = ids(value == null ? select : select.setParameter(1, value));
                if (!ids.isEmpty()) {
                    Query update = em.createNativeQuery("update job set status = " + status.replace("?1", "?2")
                            + " where state = 'QUEUED' and id in (?1)").setParameter(1, ids);
                    (value == null ? update : update.setParameter(2, value)).executeUpdate();
                }
                return ids.size();
            });
            if (rewritten < BATCH) {
                return;
            }
        }
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
            // no count of this coordinator's agents: every coordinator sharing the database gives the same words,
            // rather than each rewriting the queue's statuses with its own number
            return "waiting for a free slot: every agent serving " + architecture + " is busy";
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
