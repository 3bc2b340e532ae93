package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.config.CoordinatorConfig;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.store.FleetAgentEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The live agents of the whole fleet: those of every coordinator sharing the database, read from the rows the
 * coordinators keep (see {@link FleetRecorder}). An agent is live while the coordinator holding its stream is;
 * the faces list these, and fan-out covers them. {@link Fleet} stays what this coordinator can send work to.
 */
@ApplicationScoped
public class FleetView {
    private final Duration coordinatorSilenceLimit;

    @Inject
    FleetView(CoordinatorConfig config) {
        this.coordinatorSilenceLimit = config.fleet().coordinatorSilenceLimit();
    }

    /**
     * Every live agent, one per name (an agent that reconnected to another coordinator before the first was found
     * silent is listed at its newest connection), oldest connection first.
     */
    public List<FleetMember> agents() {
        Instant cutoff = Instant.now().minus(coordinatorSilenceLimit);
        List<FleetAgentEntity> rows = QuarkusTransaction.joiningExisting().call(() -> FleetAgentEntity
                .<FleetAgentEntity>list("coordinatorId in (select c.id from CoordinatorInstanceEntity c"
                        + " where c.seenAt > ?1) order by connectedAt desc", cutoff));
        Map<String, FleetMember> byName = new LinkedHashMap<>();
        rows.stream().map(FleetView::member).forEach(m -> byName.putIfAbsent(m.name(), m));
        return byName.values().stream().sorted(Comparator.comparing(FleetMember::connectedAt)
                .thenComparing(FleetMember::id)).toList();
    }

    public List<FleetMember> serving(Architecture architecture) {
        return agents().stream().filter(a -> a.serves(architecture)).toList();
    }

    private static FleetMember member(FleetAgentEntity row) {
        AgentRegistration registration = new AgentRegistration(row.name, row.hostname, row.architecture, row.kernel,
                row.cpu, row.nativeExecution, architectures(row.emulated), architectures(row.serves),
                row.maxConcurrency, row.agentVersion, row.hostPaths);
        return new FleetMember(row.agentId, registration, HealthColumn.read(row.health), row.coordinatorId,
                row.connectedAt, row.heartbeatAt, row.running, row.draining);
    }

    /** How a set of architectures is kept in a row: Go names, comma-separated. */
    static String spelled(Set<Architecture> architectures) {
        return architectures.stream().sorted().map(Architecture::goName).collect(Collectors.joining(","));
    }

    private static Set<Architecture> architectures(String spelled) {
        Set<Architecture> set = EnumSet.noneOf(Architecture.class);
        Arrays.stream(spelled.split(",")).filter(s -> !s.isEmpty())
                .forEach(name -> Architecture.ofGoName(name).ifPresent(set::add));
        return set;
    }
}
