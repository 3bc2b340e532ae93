package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.job.JobState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Instant;

/** One placement of a job on an agent, under a lease that expires. */
@Entity
@DynamicUpdate
@Table(name = "attempt")
public class AttemptEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public String jobId;
    public int number;
    @Column(name = "lease_id")
    public String leaseId;
    @Column(name = "agent_id")
    public String agentId;
    @Column(name = "agent_name")
    public String agentName;
    @Enumerated(EnumType.STRING)
    public AttemptState state;
    @Column(name = "leased_at")
    public Instant leasedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** Until when the lease is alive; the holding agent's heartbeats push it on, a lost stream pulls it in. */
    @Column(name = "expires_at")
    public Instant expiresAt;
    /** When the attempt times out, whatever its agent says. */
    @Column(name = "deadline_at")
    public Instant deadlineAt;
    /** The full report as the canonical JSON of verifarm.v1.CheckReport. */
    public String report;
    @Enumerated(EnumType.STRING)
    @Column(name = "failure_kind")
    public FailureKind failureKind;
    @Column(name = "failure_message")
    public String failureMessage;
    /** The job state this attempt alone leads to, once it has ended. */
    @Enumerated(EnumType.STRING)
    public JobState outcome;
    /** Why its result is not to be trusted: its host failed a self-check after it (quarantine.SuspectResults). */
    public String suspect;
}
