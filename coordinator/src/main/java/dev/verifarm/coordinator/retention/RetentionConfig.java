package dev.verifarm.coordinator.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long the coordinator keeps what the farm has finished with (docs/operations.md, Retention). */
@ConfigMapping(prefix = "verifarm.retention")
public interface RetentionConfig {
    /** Whether this coordinator prunes at all; several coordinators on one database may all prune. */
    @WithDefault("true")
    boolean enabled();

    /** How often a pruning pass runs. */
    @WithDefault("10m")
    Duration interval();

    /** Rows (jobs, runs, artifacts) deleted per transaction: each batch holds its locks only this long. */
    @WithDefault("200")
    int batchSize();

    /** A finished job (its attempts, results and events) is deleted this long after it finished. */
    @WithDefault("30d")
    Duration finishedJobs();

    /** Finished nightly runs kept per suite, newest first: the history regressions and flaky cells are found in. */
    @WithDefault("30")
    int nightlyRunsPerSuite();

    /** An artifact no suite and no job refers to is deleted once it is this old. */
    @WithDefault("7d")
    Duration orphanArtifacts();
}
