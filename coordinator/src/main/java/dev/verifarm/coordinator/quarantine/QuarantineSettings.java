package dev.verifarm.coordinator.quarantine;

import dev.verifarm.coordinator.scheduling.FailureKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Set;

/** When the coordinator quarantines an agent on the evidence of its attempts (docs/operations.md, Quarantine). */
@ConfigMapping(prefix = "verifarm.quarantine")
public interface QuarantineSettings {

    /** This many infrastructure failures of one agent for one architecture within {@link #window()} quarantine it. */
    @WithDefault("3")
    int infraFailures();

    @WithDefault("10m")
    Duration window();

    /**
     * The failures that count. A timeout is the artifact's as often as the host's, and an agent lost may be a
     * coordinator that restarted, so neither counts unless configured to.
     */
    @WithDefault("ARTIFACT_UNAVAILABLE,TOOL_MISSING,INTERNAL")
    Set<FailureKind> failureKinds();
}
