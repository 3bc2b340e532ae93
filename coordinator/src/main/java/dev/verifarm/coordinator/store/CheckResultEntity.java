package dev.verifarm.coordinator.store;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.coordinator.job.Verdict;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;

/**
 * One verdict of an attempt's report, kept apart from the report so that verdicts can be queried. Identified by its
 * attempt and position, like {@link JobEventEntity}, so that a report's rows go in JDBC batches.
 */
@Entity
@Table(name = "check_result")
@IdClass(CheckResultEntity.Key.class)
public class CheckResultEntity extends PanacheEntityBase {
    @Id
    @Column(name = "attempt_id")
    public long attemptId;
    @Id
    public int position;
    @Enumerated(EnumType.STRING)
    public CheckKind kind;
    public String resolver;
    public String target;
    @Enumerated(EnumType.STRING)
    public Verdict verdict;
    public String reason;

    public record Key(long attemptId, int position) implements Serializable {
    }
}
