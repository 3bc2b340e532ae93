package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.job.Architecture;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An agent connected to some coordinator; {@code emulated} and {@code serves} are comma-separated Go names. */
@Entity
@Table(name = "fleet_agent")
public class FleetAgentEntity extends PanacheEntityBase {
    @Id
    @Column(name = "agent_id")
    public String agentId;
    public String name;
    public String hostname;
    @Enumerated(EnumType.STRING)
    public Architecture architecture;
    public String kernel;
    public String cpu;
    @Column(name = "native_execution")
    public boolean nativeExecution;
    public String emulated;
    public String serves;
    @Column(name = "max_concurrency")
    public int maxConcurrency;
    @Column(name = "agent_version")
    public String agentVersion;
    @Column(name = "host_paths")
    public boolean hostPaths;
    @Column(name = "coordinator_id")
    public String coordinatorId;
    @Column(name = "connected_at")
    public Instant connectedAt;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    public int running;
    public boolean draining;
    /** JSON, see {@code fleet.HealthColumn}; null in rows written before agents reported health. */
    public String health;
}
