package dev.verifarm.coordinator.store;

import dev.verifarm.contract.CheckKind;
import dev.verifarm.coordinator.job.Verdict;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One verdict of an attempt's report, kept apart from the report so that verdicts can be queried. */
@Entity
@Table(name = "check_result")
public class CheckResultEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "attempt_id")
    public long attemptId;
    public int position;
    @Enumerated(EnumType.STRING)
    public CheckKind kind;
    public String resolver;
    public String target;
    @Enumerated(EnumType.STRING)
    public Verdict verdict;
    public String reason;
}
