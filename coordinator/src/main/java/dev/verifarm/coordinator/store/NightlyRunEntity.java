package dev.verifarm.coordinator.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One run of a suite; unique per (suite, scheduled time), so only one coordinator can start it. */
@Entity
@Table(name = "nightly_run")
public class NightlyRunEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "suite_name")
    public String suiteName;
    @Column(name = "scheduled_for")
    public Instant scheduledFor;
    /** SCHEDULE or MANUAL. */
    @Column(name = "trigger_kind")
    public String trigger;
    /** RUNNING or FINISHED. */
    public String state;
    /** The suite's document as the run started, so later edits do not change what a run meant. */
    public String definition;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "deadline_at")
    public Instant deadlineAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The finished run's report as JSON. */
    public String report;
}
