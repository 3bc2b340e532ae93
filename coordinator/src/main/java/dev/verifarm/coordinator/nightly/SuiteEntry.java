package dev.verifarm.coordinator.nightly;

import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.ExecutionMode;

import java.util.List;
import java.util.Optional;

/**
 * One artifact of a suite with its checks; each run fans it out to every live agent of its architecture.
 *
 * @param architecture required for a host path; for an upload the ELF header decides, so it is empty
 * @param hazards      whether each job scans for hazards; a user hazard new since the previous run is a regression
 */
public record SuiteEntry(ArtifactSource artifact, Optional<Architecture> architecture, ExecutionMode mode,
                         boolean discover, List<Expectation> expectations, boolean hazards) {

    public SuiteEntry {
        expectations = List.copyOf(expectations);
    }

    /** How reports name the entry: its host path, or the sha256 of its upload. */
    public String label() {
        return artifact instanceof ArtifactSource.HostPath host ? host.path()
                : "sha256:" + ((ArtifactSource.Uploaded) artifact).sha256();
    }
}
