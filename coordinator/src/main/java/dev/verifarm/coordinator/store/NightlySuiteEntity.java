package dev.verifarm.coordinator.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A nightly suite; {@code origin} is the configuration file that declares it, null when managed over the API. */
@Entity
@Table(name = "nightly_suite")
public class NightlySuiteEntity extends PanacheEntityBase {
    @Id
    public String name;
    /** The suite's document as JSON (see nightly.SuiteDocument). */
    public String definition;
    public String origin;
    /** When the suite was created or last changed: a schedule never fires for a time before it. */
    @Column(name = "updated_at")
    public Instant updatedAt;
}
