package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.job.JobState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/**
 * One step of a job's history, numbered per job. Identified by its job and number, not by the table's generated id,
 * which the database fills in: an entity with a generated id is inserted at once, one statement each, where these
 * wait for the flush and go in JDBC batches.
 */
@Entity
@Table(name = "job_event")
@IdClass(JobEventEntity.Key.class)
public class JobEventEntity extends PanacheEntityBase {
    @Id
    @Column(name = "job_id")
    public String jobId;
    @Id
    public long sequence;
    public Instant at;
    @Enumerated(EnumType.STRING)
    public JobState state;
    public String message;

    public record Key(String jobId, long sequence) implements Serializable {
    }
}
