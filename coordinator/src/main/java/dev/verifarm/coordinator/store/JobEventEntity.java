package dev.verifarm.coordinator.store;

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

import java.time.Instant;

/** One step of a job's history, numbered per job. */
@Entity
@Table(name = "job_event")
public class JobEventEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public String jobId;
    public long sequence;
    public Instant at;
    @Enumerated(EnumType.STRING)
    public JobState state;
    public String message;
}
