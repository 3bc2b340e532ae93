package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.JobState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Instant;

/** A submitted job. Exactly one of artifactSha256 and hostPath is set. */
@Entity
@DynamicUpdate
@Table(name = "job")
public class JobEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Enumerated(EnumType.STRING)
    public JobState state;
    public String status;
    @Column(name = "artifact_sha256")
    public String artifactSha256;
    @Column(name = "host_path")
    public String hostPath;
    @Enumerated(EnumType.STRING)
    public Architecture architecture;
    /** The expectations as a JSON array, in submission order. */
    public String expectations;
    public boolean discover;
    /** Whether the agent also scans for assembly functions whose Go func value is taken. */
    public boolean hazards;
    @Enumerated(EnumType.STRING)
    public ExecutionMode mode;
    @Column(name = "fleet_wide")
    public boolean fleetWide;
    public int priority;
    /** How long one attempt may run. */
    @Column(name = "timeout_millis")
    public long timeoutMillis;
    /** The name of the only agent that may run this job, or null for any agent of its architecture. */
    @Column(name = "pinned_agent")
    public String pinnedAgent;
    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The id of the API token that submitted the job; null for jobs the coordinator made itself. */
    @Column(name = "submitted_by")
    public String submittedBy;
    /** The number of the job's latest attempt (0 before the first). */
    @Column(name = "last_attempt")
    public int lastAttempt;
    /** The sequence number of the job's latest event. */
    @Column(name = "last_event")
    public long lastEvent;
}
