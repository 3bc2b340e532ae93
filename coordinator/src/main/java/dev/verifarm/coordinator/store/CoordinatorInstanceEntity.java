package dev.verifarm.coordinator.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A running coordinator, alive while it keeps {@code seenAt} fresh. */
@Entity
@Table(name = "coordinator_instance")
public class CoordinatorInstanceEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "seen_at")
    public Instant seenAt;
}
