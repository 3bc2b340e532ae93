package dev.verifarm.coordinator.job;

import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A job as submitted, before the coordinator has checked it.
 *
 * @param declaredArchitecture required for a host path (the coordinator cannot read that file); for an upload,
 *                             when given it must equal what the ELF header says
 * @param timeout              how long one attempt may run; empty for the coordinator's default
 * @param pinnedAgent          the name of the one agent that may run the job (nightly fan-out), or any agent
 * @param hazards              whether the agent scans for assembly functions whose Go func value is taken
 */
public record JobSpec(ArtifactSource artifact, Optional<Architecture> declaredArchitecture,
                      List<Expectation> expectations, boolean discover, ExecutionMode mode, boolean fleetWide,
                      int priority, Optional<Duration> timeout, Optional<String> pinnedAgent, boolean hazards) {

    public JobSpec {
        expectations = List.copyOf(expectations);
    }
}
