package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.job.Architecture;
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

/** One entry of the quarantine audit trail. {@code action}: QUARANTINED or READMITTED. */
@Entity
@Table(name = "quarantine_event")
public class QuarantineEventEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "agent_name")
    public String agentName;
    @Enumerated(EnumType.STRING)
    public Architecture architecture;
    public String action;
    public boolean automatic;
    public String actor;
    public String reason;
    public Instant at;
}
