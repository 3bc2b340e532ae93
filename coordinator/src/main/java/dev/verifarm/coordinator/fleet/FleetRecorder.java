package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.store.CoordinatorInstanceEntity;
import dev.verifarm.coordinator.store.FleetAgentEntity;
import dev.verifarm.coordinator.threads.DaemonThreads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes this coordinator's part of the fleet into the database, for {@link FleetView}: a row for itself,
 * refreshed every {@code verifarm.fleet.refresh-interval}, and a row per connected agent. Heartbeats are not
 * written as they come: each refresh writes, in one batch, only the agents whose heartbeat, load, draining or
 * health changed since the last, and a connection or disconnection asks for a refresh at once. Each refresh also
 * sweeps the rows of coordinators silent for longer than {@code verifarm.fleet.coordinator-silence-limit} (killed, or
 * cut off from the database): their agents are live nowhere until they reconnect elsewhere.
 */
@ApplicationScoped
public class FleetRecorder {
    private static final Logger LOG = Logger.getLogger(FleetRecorder.class);

    private final String coordinatorId = UUID.randomUUID().toString();
    private final Fleet fleet;
    private final Duration refreshInterval;
    private final Duration coordinatorSilenceLimit;
    private final AtomicBoolean pending = new AtomicBoolean();
    // An executor of its own rather than @Scheduled: a refresh is also woken at once when an agent connects or
    // leaves, every refresh runs on this one thread (which alone touches recorded), and stopping waits for it.
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("verifarm-fleet-recorder"));
    /** What the database holds of each agent of this coordinator; used on the timer's thread only. */
    private Map<String, Recorded> recorded = new HashMap<>();

    private record Recorded(ConnectedAgent connection, Instant heartbeatAt, int running, boolean draining,
                            AgentHealth health) {
        static Recorded of(ConnectedAgent agent) {
            return new Recorded(agent, agent.lastHeartbeatAt(), agent.running(), agent.draining(), agent.health());
        }
    }

    @Inject
    FleetRecorder(Fleet fleet, CoordinatorConfig config) {
        this.fleet = fleet;
        this.refreshInterval = config.fleet().refreshInterval();
        this.coordinatorSilenceLimit = config.fleet().coordinatorSilenceLimit();
    }

    void start(@Observes StartupEvent startup) {
        timer.scheduleWithFixedDelay(this::refresh, 0, refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Agents should appear and vanish in every coordinator's listing as soon as they connect and disconnect. */
    void onFleetChanged(@Observes Fleet.FleetChanged change) {
        if (pending.compareAndSet(false, true)) {
            timer.execute(this::refresh);
        }
    }

    /** A coordinator stopping in order takes its agents off the fleet at once; they reconnect elsewhere. */
    void stop(@Observes ShutdownEvent shutdown) {
        timer.shutdownNow();
        try {
            // a refresh still running would write the rows back after they are deleted
            timer.awaitTermination(5, TimeUnit.SECONDS);
            QuarkusTransaction.requiringNew().run(() -> {
                FleetAgentEntity.delete("coordinatorId", coordinatorId);
                CoordinatorInstanceEntity.deleteById(coordinatorId);
            });
        } catch (RuntimeException e) {
            LOG.warnf("cannot take this coordinator's agents off the fleet: %s; others sweep them", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refresh() {
        pending.set(false);
        List<ConnectedAgent> connected = fleet.agents();
        try {
            Map<String, Recorded> now = QuarkusTransaction.requiringNew().call(() -> record(connected));
            recorded = now;
        } catch (RuntimeException e) {
            // nothing of this refresh was written, and the next compares with what was: it writes it all again
            LOG.warnf("cannot record this coordinator's agents in the fleet: %s", e.getMessage());
        }
    }

    private Map<String, Recorded> record(List<ConnectedAgent> connected) {
        Instant now = Instant.now();
        Map<String, Recorded> before = touch(now) ? recorded : Map.of();
        Map<String, Recorded> after = new HashMap<>();
        Map<String, Recorded> changed = new HashMap<>();
        for (ConnectedAgent agent : connected) {
            Recorded was = before.get(agent.id());
            Recorded is = Recorded.of(agent);
            after.put(agent.id(), is);
            if (was == null || was.connection() != agent) {
                insert(agent);
            } else if (!was.equals(is)) {
                changed.put(agent.id(), is);
            }
        }
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(id -> FleetAgentEntity.delete(
                "agentId = ?1 and coordinatorId = ?2", id, coordinatorId));
        update(changed);
        sweep(now);
        return after;
    }

    /** Refreshes this coordinator's row; false if it was gone (swept after a long pause), so all is rewritten. */
    private boolean touch(Instant now) {
        if (CoordinatorInstanceEntity.update("seenAt = ?1 where id = ?2", now, coordinatorId) == 1) {
            return true;
        }
        CoordinatorInstanceEntity self = new CoordinatorInstanceEntity();
        self.id = coordinatorId;
        self.startedAt = now;
        self.seenAt = now;
        self.persist();
        FleetAgentEntity.delete("coordinatorId", coordinatorId);
        return false;
    }

    /** An agent's new connection: a row it had at another coordinator (it moved here) is replaced. */
    private void insert(ConnectedAgent agent) {
        FleetAgentEntity.delete("agentId", agent.id());
        AgentRegistration r = agent.registration();
        FleetAgentEntity row = new FleetAgentEntity();
        row.agentId = agent.id();
        row.name = r.name();
        row.hostname = r.hostname();
        row.architecture = r.architecture();
        row.kernel = r.kernel();
        row.cpu = r.cpu();
        row.nativeExecution = r.nativeExecution();
        row.emulated = FleetView.spelled(r.emulated());
        row.serves = FleetView.spelled(r.serves());
        row.maxConcurrency = r.maxConcurrency();
        row.agentVersion = r.agentVersion();
        row.hostPaths = r.hostPaths();
        row.coordinatorId = coordinatorId;
        row.connectedAt = agent.connectedAt();
        row.heartbeatAt = agent.lastHeartbeatAt();
        row.running = agent.running();
        row.draining = agent.draining();
        row.health = HealthColumn.written(agent.health());
        row.persist();
    }

    /** One JDBC batch for every agent whose heartbeat, load, draining or health changed: one round trip a refresh. */
    private void update(Map<String, Recorded> changed) {
        if (changed.isEmpty()) {
            return;
        }
        FleetAgentEntity.getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("update fleet_agent set heartbeat_at = ?,"
                    + " running = ?, draining = ?, health = ? where agent_id = ? and coordinator_id = ?")) {
                for (Map.Entry<String, Recorded> entry : changed.entrySet()) {
                    statement.setTimestamp(1, Timestamp.from(entry.getValue().heartbeatAt()));
                    statement.setInt(2, entry.getValue().running());
                    statement.setBoolean(3, entry.getValue().draining());
                    statement.setString(4, HealthColumn.written(entry.getValue().health()));
                    statement.setString(5, entry.getKey());
                    statement.setString(6, coordinatorId);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        });
    }

    private void sweep(Instant now) {
        Instant cutoff = now.minus(coordinatorSilenceLimit);
        List<String> silent = CoordinatorInstanceEntity.<CoordinatorInstanceEntity>list("seenAt < ?1", cutoff)
                .stream().map(c -> c.id).toList();
        if (!silent.isEmpty()) {
            long agents = FleetAgentEntity.delete("coordinatorId in ?1", silent);
            CoordinatorInstanceEntity.delete("id in ?1", silent);
            LOG.infof("swept %d silent coordinator(s) and their %d agent(s) off the fleet", silent.size(), agents);
        }
    }
}
