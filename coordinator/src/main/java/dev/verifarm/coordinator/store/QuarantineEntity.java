package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.job.Architecture;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** An agent, by name, kept from the work of one architecture. */
@Entity
@Table(name = "agent_quarantine")
public class QuarantineEntity extends PanacheEntityBase {
    @EmbeddedId
    public Key key;
    /** Put by the coordinator on evidence, rather than by an admin: a passing self-check lifts it. */
    public boolean automatic;
    public String actor;
    public String reason;
    public Instant since;

    @Embeddable
    public record Key(@Column(name = "agent_name") String agentName,
                      @Enumerated(EnumType.STRING) Architecture architecture) implements Serializable {
    }
}
