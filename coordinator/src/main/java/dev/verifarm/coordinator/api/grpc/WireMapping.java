package dev.verifarm.coordinator.api.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.artifact.StoredArtifact;
import dev.verifarm.coordinator.fleet.AgentHealth;
import dev.verifarm.coordinator.fleet.AgentRegistration;
import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.fleet.Health;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptOutcome;
import dev.verifarm.coordinator.job.AttemptView;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.ExpectationWire;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.job.Lease;
import dev.verifarm.coordinator.job.Verdict;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.quarantine.Quarantine;
import dev.verifarm.proto.v1.AgentInfo;
import dev.verifarm.proto.v1.ArtifactRef;
import dev.verifarm.proto.v1.Attempt;
import dev.verifarm.proto.v1.AttemptState;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.JobEvent;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.SubmitJobRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Translates between verifarm.v1 messages and the coordinator's domain; the proto types stop here. */
final class WireMapping {
    private static final JsonFormat.Printer REPORT_JSON = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser REPORT_PARSER = JsonFormat.parser();

    private WireMapping() {
    }

    static JobSpec spec(SubmitJobRequest request) {
        ArtifactSource source;
        Optional<Architecture> declared = Optional.empty();
        switch (request.getArtifact().getSourceCase()) {
            case SHA256 -> source = new ArtifactSource.Uploaded(request.getArtifact().getSha256());
            case HOST_PATH -> {
                HostPath hostPath = request.getArtifact().getHostPath();
                source = new ArtifactSource.HostPath(hostPath.getPath());
                declared = optionalArchitecture("artifact.hostPath.architecture", hostPath.getArchitecture());
            }
            default -> throw new InvalidInputException("artifact", "an artifact sha256 or a host path is required");
        }
        List<Expectation> expectations = new ArrayList<>();
        for (int i = 0; i < request.getExpectationsCount(); i++) {
            expectations.add(ExpectationWire.expectation("expectations[" + i + "]", request.getExpectations(i)));
        }
        ExecutionMode mode = switch (request.getMode()) {
            case STATIC, EXECUTION_MODE_UNSPECIFIED -> ExecutionMode.STATIC;
            case NATIVE -> ExecutionMode.NATIVE;
            case UNRECOGNIZED -> throw new InvalidInputException("mode", "unknown execution mode");
        };
        Optional<Duration> timeout = request.hasTimeout()
                ? Optional.of(Duration.ofSeconds(request.getTimeout().getSeconds(), request.getTimeout().getNanos()))
                : Optional.empty();
        return new JobSpec(source, declared, expectations, request.getDiscover(), mode, request.getFleetWide(),
                request.getPriority(), timeout, Optional.empty(), request.getHazards());
    }

    static Optional<Architecture> optionalArchitecture(String field, dev.verifarm.proto.v1.Architecture wire) {
        return switch (wire) {
            case AMD64 -> Optional.of(Architecture.AMD64);
            case ARM64 -> Optional.of(Architecture.ARM64);
            case ARCHITECTURE_UNSPECIFIED -> Optional.empty();
            case UNRECOGNIZED -> throw new InvalidInputException(field, "unknown architecture");
        };
    }

    static dev.verifarm.proto.v1.Architecture architecture(Architecture architecture) {
        return switch (architecture) {
            case AMD64 -> dev.verifarm.proto.v1.Architecture.AMD64;
            case ARM64 -> dev.verifarm.proto.v1.Architecture.ARM64;
        };
    }

    static ArtifactRef artifact(StoredArtifact artifact) {
        return ArtifactRef.newBuilder()
                .setSha256(artifact.sha256())
                .setArchitecture(architecture(artifact.architecture()))
                .setSize(artifact.size())
                .setName(artifact.name())
                .build();
    }

    static Job job(JobView view) {
        Job.Builder job = Job.newBuilder()
                .setId(view.id())
                .setState(state(view.state()))
                .setStatus(view.status())
                .setArchitecture(architecture(view.architecture()))
                .setDiscover(view.discover())
                .setHazards(view.hazards())
                .setMode(view.mode() == ExecutionMode.STATIC ? dev.verifarm.proto.v1.ExecutionMode.STATIC
                        : dev.verifarm.proto.v1.ExecutionMode.NATIVE)
                .setFleetWide(view.fleetWide())
                .setPriority(view.priority())
                .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(view.timeout().getSeconds())
                        .setNanos(view.timeout().getNano()))
                .setSubmittedAt(timestamp(view.submittedAt()));
        job.setArtifact(source(view.artifact(), view.architecture()));
        view.expectations().forEach(e -> job.addExpectations(ExpectationWire.expectation(e)));
        view.finishedAt().ifPresent(t -> job.setFinishedAt(timestamp(t)));
        view.attempts().forEach(a -> job.addAttempts(attempt(a)));
        return job.build();
    }

    static JobEvent event(dev.verifarm.coordinator.job.JobEvent event, JobView job) {
        return JobEvent.newBuilder()
                .setJobId(event.jobId())
                .setSequence(event.sequence())
                .setAt(timestamp(event.at()))
                .setState(state(event.state()))
                .setMessage(event.message())
                .setJob(job(job))
                .build();
    }

    /** The state a request names (UNSPECIFIED: any); the proto's states and the domain's have the same names. */
    static Optional<JobState> state(String field, Job.State wire) {
        return switch (wire) {
            case JOB_STATE_UNSPECIFIED -> Optional.empty();
            case UNRECOGNIZED -> throw new InvalidInputException(field, "unknown job state");
            default -> Optional.of(JobState.valueOf(wire.name()));
        };
    }

    private static Job.State state(JobState state) {
        return Job.State.valueOf(state.name());
    }

    private static dev.verifarm.proto.v1.ArtifactSource source(ArtifactSource source, Architecture architecture) {
        dev.verifarm.proto.v1.ArtifactSource.Builder wire = dev.verifarm.proto.v1.ArtifactSource.newBuilder();
        if (source instanceof ArtifactSource.Uploaded uploaded) {
            wire.setSha256(uploaded.sha256());
        } else if (source instanceof ArtifactSource.HostPath hostPath) {
            wire.setHostPath(HostPath.newBuilder().setPath(hostPath.path())
                    .setArchitecture(architecture(architecture)));
        }
        return wire.build();
    }

    private static Attempt attempt(AttemptView view) {
        Attempt.Builder wire = Attempt.newBuilder()
                .setNumber(view.number())
                .setLeaseId(view.leaseId())
                .setAgentId(view.agentId())
                .setAgentName(view.agentName())
                .setState(switch (view.state()) {
                    case LEASED -> AttemptState.ATTEMPT_LEASED;
                    case RUNNING -> AttemptState.ATTEMPT_RUNNING;
                    case FINISHED -> AttemptState.ATTEMPT_FINISHED;
                    case FAILED -> AttemptState.ATTEMPT_FAILED;
                    case CANCELLED -> AttemptState.ATTEMPT_CANCELLED;
                    case EXPIRED -> AttemptState.ATTEMPT_EXPIRED;
                })
                .setLeasedAt(timestamp(view.leasedAt()))
                .setExpiresAt(timestamp(view.expiresAt()));
        view.startedAt().ifPresent(t -> wire.setStartedAt(timestamp(t)));
        view.deadline().ifPresent(t -> wire.setDeadline(timestamp(t)));
        view.finishedAt().ifPresent(t -> wire.setFinishedAt(timestamp(t)));
        view.reportJson().ifPresent(json -> wire.setReport(parseReport(json)));
        view.failure().ifPresent(f -> wire.setFailure(InfrastructureFailure.newBuilder()
                .setKind(InfrastructureFailure.Kind.valueOf(f.kind().name()))
                .setMessage(f.message())));
        view.suspect().ifPresent(wire::setSuspect);
        return wire.build();
    }

    static AgentRegistration registration(Register register) {
        Architecture own = optionalArchitecture("register.architecture", register.getArchitecture())
                .orElseThrow(() -> new InvalidInputException("register.architecture", "the agent's architecture is"
                        + " required"));
        return new AgentRegistration(register.getName(), register.getHostname(), own, register.getKernel(),
                register.getCpu(), register.getCapabilities().getNativeExecution(),
                architectures("register.capabilities.emulated", register.getCapabilities().getEmulatedList()),
                architectures("register.capabilities.serves", register.getCapabilities().getServesList()),
                register.getMaxConcurrency(), register.getAgentVersion(), register.getCapabilities().getHostPaths());
    }

    private static Set<Architecture> architectures(String field, List<dev.verifarm.proto.v1.Architecture> wire) {
        Set<Architecture> set = EnumSet.noneOf(Architecture.class);
        for (dev.verifarm.proto.v1.Architecture a : wire) {
            set.add(optionalArchitecture(field, a).orElseThrow(() -> new InvalidInputException(field,
                    "an architecture in the list is unspecified")));
        }
        return set;
    }

    /** An agent's health from its Register or Heartbeat; a state this coordinator does not know reads UNKNOWN. */
    static AgentHealth health(List<dev.verifarm.proto.v1.ArchitectureHealth> architectures,
                              dev.verifarm.proto.v1.Health cache) {
        Map<Architecture, Health> byArchitecture = new EnumMap<>(Architecture.class);
        for (dev.verifarm.proto.v1.ArchitectureHealth a : architectures) {
            byArchitecture.put(optionalArchitecture("health.architecture", a.getArchitecture()).orElseThrow(() ->
                    new InvalidInputException("health.architecture", "an architecture's health names none")),
                    health(a.getHealth()));
        }
        return new AgentHealth(byArchitecture, health(cache));
    }

    private static Health health(dev.verifarm.proto.v1.Health wire) {
        Health.State state = switch (wire.getState()) {
            case HEALTHY -> Health.State.HEALTHY;
            case UNHEALTHY -> Health.State.UNHEALTHY;
            case UNKNOWN, STATE_UNSPECIFIED, UNRECOGNIZED -> Health.State.UNKNOWN;
        };
        return new Health(state, wire.getCheck(), wire.getReason(), wire.hasCheckedAt()
                ? Optional.of(instant(wire.getCheckedAt())) : Optional.empty());
    }

    private static dev.verifarm.proto.v1.Health health(Health health) {
        dev.verifarm.proto.v1.Health.Builder wire = dev.verifarm.proto.v1.Health.newBuilder()
                .setState(dev.verifarm.proto.v1.Health.State.valueOf(health.state().name()))
                .setCheck(health.check())
                .setReason(health.reason());
        health.checkedAt().ifPresent(at -> wire.setCheckedAt(timestamp(at)));
        return wire.build();
    }

    /** {@code quarantined}: every quarantine in force; the agent's own are added. */
    static AgentInfo agent(FleetMember agent, List<Quarantine> quarantined) {
        AgentRegistration r = agent.registration();
        AgentInfo.Builder wire = AgentInfo.newBuilder()
                .setId(agent.id())
                .setName(r.name())
                .setHostname(r.hostname())
                .setArchitecture(architecture(r.architecture()))
                .setKernel(r.kernel())
                .setCpu(r.cpu())
                .setMaxConcurrency(r.maxConcurrency())
                .setRunning(agent.running())
                .setDraining(agent.draining())
                .setConnected(true)
                .setConnectedAt(timestamp(agent.connectedAt()))
                .setLastHeartbeatAt(timestamp(agent.lastHeartbeatAt()))
                .setAgentVersion(r.agentVersion());
        r.serves().stream().sorted().forEach(a -> wire.addServes(architecture(a)));
        agent.health().architectures().forEach((a, h) -> wire.addHealth(dev.verifarm.proto.v1.ArchitectureHealth
                .newBuilder().setArchitecture(architecture(a)).setHealth(health(h))));
        wire.setCacheHealth(health(agent.health().cache()));
        quarantined.stream().filter(q -> q.agentName().equals(r.name()))
                .forEach(q -> wire.addQuarantines(QuarantineWire.quarantine(q)));
        return wire.build();
    }

    static dev.verifarm.proto.v1.Lease lease(Lease lease) {
        dev.verifarm.proto.v1.Lease.Builder wire = dev.verifarm.proto.v1.Lease.newBuilder()
                .setLeaseId(lease.leaseId())
                .setJobId(lease.jobId())
                .setAttempt(lease.attempt())
                .setArtifact(source(lease.artifact(), lease.architecture()))
                .setArchitecture(architecture(lease.architecture()))
                .setMode(lease.mode() == ExecutionMode.STATIC ? dev.verifarm.proto.v1.ExecutionMode.STATIC
                        : dev.verifarm.proto.v1.ExecutionMode.NATIVE)
                .setDiscover(lease.discover())
                .setHazards(lease.hazards())
                .setDeadline(timestamp(lease.deadline()));
        lease.expectations().forEach(e -> wire.addExpectations(ExpectationWire.expectation(e)));
        return wire.build();
    }

    /**
     * An agent's result as the scheduler records it: the report kept whole, its verdicts extracted. A result the
     * coordinator cannot read fails its attempt rather than the agent's stream.
     */
    static AttemptOutcome outcome(Result result) {
        try {
            return switch (result.getOutcomeCase()) {
                case REPORT -> report(result.getReport());
                case FAILURE -> failure(result.getFailure());
                case OUTCOME_NOT_SET -> throw new InvalidInputException("result", "neither a report nor a failure");
            };
        } catch (InvalidInputException e) {
            return AttemptOutcome.failure(FailureKind.INTERNAL, "the agent sent an unreadable result: "
                    + e.field() + ": " + e.getMessage());
        }
    }

    private static AttemptOutcome report(CheckReport report) {
        List<CheckOutcome> results = new ArrayList<>();
        for (int i = 0; i < report.getResultsCount(); i++) {
            dev.verifarm.proto.v1.CheckResult r = report.getResults(i);
            String field = "result.report.results[" + i + "]";
            CheckKind kind = switch (r.getExpectation().getKind()) {
                case RESOLVE -> CheckKind.RESOLVE;
                case COPY -> CheckKind.COPY;
                case CHECK_KIND_UNSPECIFIED, UNRECOGNIZED ->
                        throw new InvalidInputException(field + ".expectation.kind", "kind is unspecified");
            };
            results.add(new CheckOutcome(kind, r.getExpectation().getResolver(), r.getExpectation().getTarget(),
                    verdict(field + ".verdict", r.getVerdict()), r.getReason()));
        }
        return AttemptOutcome.report(printReport(report), results,
                report.hasError() ? Optional.of(report.getError())
                        : report.hasHazardsError() ? Optional.of("hazard scan: " + report.getHazardsError())
                        : Optional.empty(),
                report.getHazardsList().stream().filter(h -> h.getScope().equals("user"))
                        .map(dev.verifarm.proto.v1.Hazard::getFunction).toList());
    }

    private static AttemptOutcome failure(InfrastructureFailure failure) {
        FailureKind kind = switch (failure.getKind()) {
            case AGENT_LOST -> FailureKind.AGENT_LOST;
            case ARTIFACT_UNAVAILABLE -> FailureKind.ARTIFACT_UNAVAILABLE;
            case TOOL_MISSING -> FailureKind.TOOL_MISSING;
            case TIMEOUT -> FailureKind.TIMEOUT;
            case INTERNAL, KIND_UNSPECIFIED, UNRECOGNIZED -> FailureKind.INTERNAL;
        };
        return AttemptOutcome.failure(kind, failure.getMessage());
    }

    private static Verdict verdict(String field, dev.verifarm.proto.v1.Verdict wire) {
        return switch (wire) {
            case MATCH -> Verdict.MATCH;
            case WRAPPER -> Verdict.WRAPPER;
            case MISMATCH -> Verdict.MISMATCH;
            case NOT_RELOCATABLE -> Verdict.NOT_RELOCATABLE;
            case UNRESOLVED -> Verdict.UNRESOLVED;
            case ERROR -> Verdict.ERROR;
            case VERDICT_UNSPECIFIED, UNRECOGNIZED -> throw new InvalidInputException(field, "verdict is unspecified");
        };
    }

    private static String printReport(CheckReport report) {
        try {
            return REPORT_JSON.print(report);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a CheckReport has no Any fields and always prints", e);
        }
    }

    private static CheckReport parseReport(String json) {
        try {
            CheckReport.Builder report = CheckReport.newBuilder();
            REPORT_PARSER.merge(json, report);
            return report.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored report is not a CheckReport: " + e.getMessage(), e);
        }
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
