package dev.verifarm.coordinator.scheduling;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.fleet.ConnectedAgent;

import java.util.List;
import java.util.Optional;

/** Which agents may take an architecture's work besides serving it: healthy for it and not quarantined from it. */
public interface Admission {

    /** In the dispatch round's transaction: those of {@code serving} that may be leased its work. */
    List<ConnectedAgent> admitted(Architecture architecture, List<ConnectedAgent> serving);

    /**
     * Why no agent may take the architecture's work although some claim it, naming each and what
     * keeps it out; empty if none claims it.
     */
    Optional<String> whyNoneAdmitted(Architecture architecture);
}
