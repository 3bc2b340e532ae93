package dev.verifarm.coordinator.config;

import dev.verifarm.coordinator.job.FailureKind;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The coordinator's own settings, {@code verifarm.*}, with their defaults: set as system properties, environment
 * variables ({@code VERIFARM_AGENT_SILENCE_LIMIT}) or in {@code application.properties}. docs/operations.md lists
 * them with Quarkus's own keys. Durations are written {@code 500ms}, {@code 15s}, {@code 10m}, {@code 6h}.
 */
@ConfigMapping(prefix = "verifarm")
public interface CoordinatorConfig {

    /** Where the embedded database and, unless {@code verifarm.artifact.dir} says otherwise, the artifacts live. */
    @WithDefault("./verifarm-data")
    Path dataDir();

    Artifacts artifact();

    Agents agent();

    Jobs job();

    Dispatch dispatch();

    FleetRecords fleet();

    Security security();

    Policy policy();

    Limits limits();

    Nightly nightly();

    Metrics metrics();

    Retention retention();

    Capacity capacity();

    QuarantinePolicy quarantine();

    SuspectPolicy suspect();

    /** Uploaded artifacts. */
    interface Artifacts {
        /**
         * This coordinator's cache of uploaded artifacts, by sha256, and its uploads in progress; the database holds
         * the artifacts. Each coordinator has its own: coordinators sharing one PostgreSQL share nothing else.
         */
        @WithDefault("${verifarm.data-dir}/artifacts")
        Path dir();

        /** The largest artifact accepted for upload, in bytes (512 MiB). */
        @WithDefault("536870912")
        long maxSize();
    }

    /** The agents' connections. */
    interface Agents {
        /** How often agents heartbeat (told to them when they register); each heartbeat renews the agent's leases. */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /**
         * An agent silent this long (a frozen host, a half-open connection) is dropped and its leases requeued;
         * silent agents are looked for four times within it.
         */
        @WithDefault("15s")
        Duration silenceLimit();

        /**
         * How long the leases of an agent whose stream ended wait for it to reconnect before they are requeued;
         * expired leases are swept four times within the shorter of this and the silence limit.
         */
        @WithDefault("2s")
        Duration reconnectGrace();
    }

    /** Jobs. */
    interface Jobs {
        /** How long one attempt of a job may run when the job does not say. */
        @WithDefault("10m")
        Duration defaultTimeout();

        /** The longest timeout a job may ask for. */
        @WithDefault("6h")
        Duration maxTimeout();

        /**
         * Attempts a job gets when infrastructure fails (agent lost, artifact unavailable); a verdict is never
         * retried.
         */
        @WithDefault("3")
        int maxAttempts();
    }

    /** Placing queued jobs on agents. */
    interface Dispatch {
        /**
         * How often each coordinator also looks for queued work besides when it hears of some: jobs submitted through
         * another coordinator sharing the database reach this one's agents this way.
         */
        @WithDefault("1s")
        Duration pollInterval();
    }

    /** Several coordinators, one fleet (docs/several-coordinators.md). */
    interface FleetRecords {
        /** How often each coordinator records its agents in the database, where every coordinator lists them. */
        @WithDefault("2s")
        Duration refreshInterval();

        /**
         * How long a coordinator may go without recording its agents (killed, or cut off from the database) before
         * they count as live nowhere.
         */
        @WithDefault("15s")
        Duration coordinatorSilenceLimit();
    }

    /** Tokens and agents' transport (SECURITY.md). */
    interface Security {
        /** How soon tokens revoked by another coordinator on the same database stop working here. */
        @WithDefault("5s")
        Duration tokenRefresh();

        /**
         * Agents send their enrolment token only over TLS; true accepts them over plaintext gRPC (tests, a trusted
         * single host).
         */
        @WithDefault("false")
        boolean allowPlaintextAgents();
    }

    /** Which roles may submit which jobs. */
    interface Policy {
        /** Roles (reader, submitter, admin) that may run artifacts natively on the agents' hosts. */
        @WithDefault("admin")
        List<String> nativeExecutionRoles();

        /**
         * Roles (reader, submitter, admin) that may submit a job naming a file on the agents' hosts by path; agents
         * read host paths only under the roots their operators name ({@code --host-path-root}).
         */
        @WithDefault("admin")
        List<String> hostPathRoles();
    }

    /** Limits of one request and one submitter. */
    interface Limits {
        /** The most expectations one job may have; more is 400 / INVALID_ARGUMENT. */
        @WithDefault("1000")
        int expectationsPerJob();

        /** Unfinished jobs per submitter token (admins are not limited); more is 429 / RESOURCE_EXHAUSTED. */
        @WithDefault("1000")
        int jobsInFlightPerSubmitter();

        /**
         * The largest JSON (or other non-artifact) request body, in bytes (1 MiB); more is 413. Artifact uploads are
         * bounded by {@code verifarm.artifact.max-size}.
         */
        @WithDefault("1048576")
        long jsonBodySize();
    }

    /** Nightly suites and their runs. */
    interface Nightly {
        /** A directory of YAML suite files, read at each start; unset: none. */
        Optional<Path> suitesDir();

        /** How often each coordinator starts the runs that have come due and finishes the ones that are done. */
        @WithDefault("10s")
        Duration checkInterval();

        /** A run due while no coordinator was up still starts if one comes up within this long. */
        @WithDefault("10m")
        Duration misfireGrace();

        /** The priority of nightly jobs: below interactive jobs (0 unless they say), which go first. */
        @WithDefault("-10")
        int priority();
    }

    /** The farm's own Prometheus metrics. */
    interface Metrics {
        /** How often verifarm_queue_depth and verifarm_agents_connected count queued jobs and live agents. */
        @WithDefault("5s")
        Duration queueRefreshInterval();
    }

    /** How long the coordinator keeps what the farm has finished with (docs/operations.md, Retention). */
    interface Retention {
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

    /** What uploads may take of the coordinator's storage (docs/operations.md, Quota and disk). */
    interface Capacity {
        /** The bytes of artifacts one submitter token may keep stored; unset: no limit. Admins are not limited. */
        Optional<MemorySize> storedBytesPerSubmitter();

        /** Uploads are refused, and the coordinator is not ready, while its artifact directory has less free space. */
        @WithDefault("1G")
        MemorySize minFree();
    }

    /** When the coordinator quarantines an agent on the evidence of its attempts (docs/operations.md, Quarantine). */
    interface QuarantinePolicy {
        /** This many infrastructure failures of one agent for one architecture within the window quarantine it. */
        @WithDefault("3")
        int infraFailures();

        /** The window infrastructure failures are counted in. */
        @WithDefault("10m")
        Duration window();

        /**
         * The failures that count. A timeout is the artifact's as often as the host's, and an agent lost may be a
         * coordinator that restarted, so neither counts unless configured to.
         */
        @WithDefault("ARTIFACT_UNAVAILABLE,TOOL_MISSING,INTERNAL")
        Set<FailureKind> failureKinds();
    }

    /** What happens to a job whose result came from a host that then failed its self-check. */
    interface SuspectPolicy {
        /** Which suspect results run again on a healthy host. */
        @WithDefault("native-errors")
        RerunPolicy rerun();

        /** Which suspect results run again on a healthy host; the others are only marked. */
        enum RerunPolicy {
            /** none: mark only */
            NONE,
            /** native jobs whose suspect attempt ended ERROR: a broken emulator or sandbox gives errors */
            NATIVE_ERRORS,
            /** every native job whose result is suspect */
            ALL_NATIVE
        }
    }
}
