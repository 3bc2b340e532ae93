package dev.verifarm.coordinator.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.verifarm.contract.CheckKind;
import dev.verifarm.contract.EndRule;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptState;
import dev.verifarm.coordinator.job.AttemptView;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.job.JobEvent;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.job.Verdict;
import dev.verifarm.coordinator.problem.ContractEnums;
import dev.verifarm.coordinator.problem.ContractInput;
import dev.verifarm.coordinator.problem.InvalidInputException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JSON shapes of the jobs API. */
final class JobDtos {

    private JobDtos() {
    }

    /** An artifact: {@code {"sha256": ...}} for an upload, {@code {"hostPath": ..., "architecture": ...}} else. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArtifactBody(String sha256, String hostPath, Architecture architecture) {
    }

    /**
     * {@code endRule} (COPY only): {@code symbol-size}, {@code pclntab-end} (default) or {@code symbol:NAME}. A request
     * may instead spell the whole expectation as a suite does: {@code {"resolve": "RESOLVER=TARGET"}} or
     * {@code {"copy": "RESOLVER=TARGET[@END]"}}. A response always gives {kind, resolver, target[, endRule]}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExpectationBody(@Schema(enumeration = {"RESOLVE", "COPY"}) String kind, String resolver,
                                  String target, String endRule, String resolve, String copy) {

        Expectation expectation(String field) {
            if (resolve == null && copy == null) {
                CheckKind checkKind = ContractEnums.parse(CheckKind.class, field + ".kind", kind).orElse(null);
                return ContractInput.at(field, () -> Expectation.of(checkKind, resolver, target, endRule));
            }
            if (resolve != null && copy != null || kind != null || resolver != null || target != null
                    || endRule != null) {
                throw new InvalidInputException(field, "an expectation is {kind, resolver, target[, endRule]},"
                        + " {resolve: RESOLVER=TARGET} or {copy: RESOLVER=TARGET[@END]}: one of the three forms");
            }
            return resolve != null ? ContractInput.at(field + ".resolve", () -> Expectation.parse(CheckKind.RESOLVE, resolve))
                    : ContractInput.at(field + ".copy", () -> Expectation.parse(CheckKind.COPY, copy));
        }
    }

    /**
     * {@code mode}: STATIC (default) or NATIVE. {@code priority}: higher runs first, default 0.
     * {@code timeoutSeconds}: how long one attempt may run, default {@code verifarm.job.default-timeout}.
     * {@code hazards}: also scan for assembly functions whose Go func value is taken; a user hazard fails the job.
     */
    public record SubmitJobBody(ArtifactRequest artifact, List<ExpectationBody> expectations, Boolean discover,
                                @Schema(enumeration = {"STATIC", "NATIVE"}) String mode, Boolean fleetWide,
                                Integer priority, Long timeoutSeconds, Boolean hazards) {

        JobSpec spec() {
            if (artifact == null) {
                throw new InvalidInputException("artifact", "artifact is required: {\"sha256\": ...} or"
                        + " {\"hostPath\": ..., \"architecture\": ...}");
            }
            ArtifactRequest.Source artifactSource = artifact.source();
            List<Expectation> parsed = new ArrayList<>();
            List<ExpectationBody> given = expectations == null ? List.of() : expectations;
            for (int i = 0; i < given.size(); i++) {
                String field = "expectations[" + i + "]";
                ExpectationBody e = given.get(i);
                if (e == null) {
                    throw new InvalidInputException(field, "an expectation is null");
                }
                parsed.add(e.expectation(field));
            }
            return new JobSpec(artifactSource.source(), artifactSource.declared(),
                    parsed, Boolean.TRUE.equals(discover),
                    ContractEnums.parse(ExecutionMode.class, "mode", mode).orElse(ExecutionMode.STATIC),
                    Boolean.TRUE.equals(fleetWide), priority == null ? 0 : priority,
                    Optional.ofNullable(timeoutSeconds).map(Duration::ofSeconds), Optional.empty(),
                    Boolean.TRUE.equals(hazards));
        }
    }

    public record ResultResponse(CheckKind kind, String resolver, String target, Verdict verdict, String reason) {
        static ResultResponse of(CheckOutcome r) {
            return new ResultResponse(r.kind(), r.resolver(), r.target(), r.verdict(), r.reason());
        }
    }

    public record FailureResponse(FailureKind kind, String message) {
    }

    /**
     * {@code report} is the full report with its evidence, in the JSON form of verifarm.v1.CheckReport.
     * {@code suspect}: why its result is not to be trusted (its agent failed a self-check after it), if so.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptResponse(int number, String leaseId, String agentId, String agentName,
                                  AttemptState state,
                                  Instant leasedAt, Instant startedAt, Instant finishedAt, Instant expiresAt,
                                  Instant deadline, List<ResultResponse> results, @JsonRawValue String report,
                                  FailureResponse failure, String suspect) {
        static AttemptResponse of(AttemptView a) {
            return new AttemptResponse(a.number(), a.leaseId(), a.agentId(), a.agentName(), a.state(),
                    a.leasedAt(), a.startedAt().orElse(null), a.finishedAt().orElse(null), a.expiresAt(),
                    a.deadline().orElse(null), a.results().stream().map(ResultResponse::of).toList(),
                    a.reportJson().orElse(null),
                    a.failure().map(f -> new FailureResponse(f.kind(), f.message())).orElse(null),
                    a.suspect().orElse(null));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobResponse(String id, JobState state, String status, ArtifactBody artifact,
                              Architecture architecture, List<ExpectationBody> expectations, boolean discover,
                              ExecutionMode mode, boolean fleetWide,
                              int priority, long timeoutSeconds, Instant submittedAt, Instant finishedAt,
                              List<AttemptResponse> attempts, boolean hazards) {
        static JobResponse of(JobView j) {
            ArtifactBody artifact = j.artifact() instanceof ArtifactSource.Uploaded u
                    ? new ArtifactBody(u.sha256(), null, null)
                    : new ArtifactBody(null, ((ArtifactSource.HostPath) j.artifact()).path(),
                    j.architecture());
            return new JobResponse(j.id(), j.state(), j.status(), artifact, j.architecture(),
                    j.expectations().stream().map(e -> new ExpectationBody(e.kind().name(), e.resolver(),
                            e.target(), e.endRule().map(EndRule::spelling).orElse(null), null, null)).toList(),
                    j.discover(), j.mode(), j.fleetWide(), j.priority(), j.timeout().toSeconds(),
                    j.submittedAt(),
                    j.finishedAt().orElse(null), j.attempts().stream().map(AttemptResponse::of).toList(), j.hazards());
        }
    }

    public record EventResponse(String jobId, long sequence, Instant at, JobState state, String message) {
        static EventResponse of(JobEvent e) {
            return new EventResponse(e.jobId(), e.sequence(), e.at(), e.state(), e.message());
        }
    }
}
