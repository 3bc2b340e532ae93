package dev.verifarm.coordinator.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One (entry, agent) of a run's fan-out with its job; without an agent, why the entry reached none. */
@Entity
@Table(name = "nightly_cell")
public class NightlyCellEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public String runId;
    @Column(name = "entry_index")
    public int entryIndex;
    @Column(name = "agent_name")
    public String agentName;
    @Column(name = "agent_architecture")
    public String agentArchitecture;
    @Column(name = "job_id")
    public String jobId;
    public String error;
}
