package dev.verifarm.coordinator.api.grpc;

import com.google.protobuf.Timestamp;
import dev.verifarm.contract.EndRule;
import dev.verifarm.contract.Expectation;
import dev.verifarm.coordinator.fleet.AgentHealth;
import dev.verifarm.coordinator.fleet.AgentRegistration;
import dev.verifarm.coordinator.fleet.FleetMember;
import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptOutcome;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.ExpectationWire;
import dev.verifarm.coordinator.job.FailureKind;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.job.JobState;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.job.Lease;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.coordinator.quarantine.Quarantine;
import dev.verifarm.proto.v1.AgentInfo;
import dev.verifarm.proto.v1.ArchitectureHealth;
import dev.verifarm.proto.v1.Capabilities;
import dev.verifarm.proto.v1.CheckKind;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.CheckResult;
import dev.verifarm.proto.v1.Hazard;
import dev.verifarm.proto.v1.Health;
import dev.verifarm.proto.v1.InfrastructureFailure;
import dev.verifarm.proto.v1.Job;
import dev.verifarm.proto.v1.Register;
import dev.verifarm.proto.v1.Result;
import dev.verifarm.proto.v1.SubmitJobRequest;
import dev.verifarm.proto.v1.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gRPC face's mapping: what goes out as a wire message comes back in as the same value. */
class WireMappingTest {
    /** Every form a resolver and an end rule may take. */
    private static final List<Expectation> FORMS = List.of(
            Expectation.resolve("main.addrOfMemcpyish", "main.memcpyish"),
            Expectation.resolve("funcvalue:main.memcpyish", "main.memcpyish"),
            Expectation.resolve("symbol:main.memcpyish.abi0", "main.memcpyish"),
            Expectation.resolve("data:main.slot", "main.memcpyish"),
            Expectation.copy("main.addrOfMemcpyish", "main.memcpyish", EndRule.pclntabEnd()),
            Expectation.copy("main.addrOfMemcpyish", "main.memcpyish", EndRule.symbolSize()),
            Expectation.copy("data:main.slot", "main.memcpyish", EndRule.endSymbol("main.end")));

    private static JobView view(JobSpec spec, JobState state) {
        return new JobView("job-1", state, "status", spec.artifact(), spec.declaredArchitecture().orElseThrow(),
                spec.expectations(), spec.discover(), spec.mode(), spec.fleetWide(), spec.priority(),
                spec.timeout().orElseThrow(), Instant.parse("2026-12-05T04:00:00Z"), Optional.empty(), List.of(),
                spec.hazards());
    }

    @Test
    void everyExpectationFormComesBackFromItsWireMessage() {
        for (Expectation form : FORMS) {
            assertEquals(form, ExpectationWire.expectation("x", ExpectationWire.expectation(form)), form.spelling());
        }
    }

    @Test
    void aJobGoesOutAsTheSpecItWasSubmittedAs() {
        JobSpec spec = new JobSpec(new ArtifactSource.HostPath("/opt/x"), Optional.of(Architecture.ARM64), FORMS,
                true, ExecutionMode.NATIVE, false, 5, Optional.of(Duration.ofSeconds(90)), Optional.empty(), true);
        Job job = WireMapping.job(view(spec, JobState.QUEUED));
        SubmitJobRequest again = SubmitJobRequest.newBuilder().setArtifact(job.getArtifact())
                .addAllExpectations(job.getExpectationsList()).setDiscover(job.getDiscover()).setMode(job.getMode())
                .setFleetWide(job.getFleetWide()).setPriority(job.getPriority()).setTimeout(job.getTimeout())
                .setHazards(job.getHazards()).build();
        assertEquals(spec, WireMapping.spec(again));
    }

    @Test
    void everyJobStateHasItsNameOnTheWire() {
        JobSpec spec = new JobSpec(new ArtifactSource.HostPath("/opt/x"), Optional.of(Architecture.AMD64),
                FORMS.subList(0, 1), false, ExecutionMode.STATIC, false, 0, Optional.of(Duration.ofSeconds(1)),
                Optional.empty(), false);
        for (JobState state : JobState.values()) {
            Job.State wire = WireMapping.job(view(spec, state)).getState();
            assertEquals(state.name(), wire.name());
            assertEquals(Optional.of(state), WireMapping.state("state", wire));
        }
    }

    @Test
    void aLeaseCarriesEveryFormAsSubmitted() {
        Lease lease = new Lease("lease-1", "job-1", 1, new ArtifactSource.Uploaded("ab".repeat(32)),
                Architecture.AMD64, FORMS, ExecutionMode.STATIC, false, Instant.parse("2026-12-05T05:00:00Z"), false);
        assertEquals(FORMS, WireMapping.lease(lease).getExpectationsList().stream()
                .map(wire -> ExpectationWire.expectation("x", wire)).toList());
    }

    @Test
    void aKindlessExpectationIsRefusedNamingItsField() {
        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> WireMapping.spec(
                SubmitJobRequest.newBuilder().addExpectations(dev.verifarm.proto.v1.Expectation.newBuilder()
                        .setResolver("a").setTarget("b")).setArtifact(dev.verifarm.proto.v1.ArtifactSource
                        .newBuilder().setSha256("ab".repeat(32))).build()));
        assertEquals("expectations[0].kind", refused.field());
        assertEquals("kind is required: RESOLVE or COPY", refused.getMessage());
        InvalidInputException endRuleOnResolve = assertThrows(InvalidInputException.class,
                () -> ExpectationWire.expectation("expectations[3]", dev.verifarm.proto.v1.Expectation.newBuilder()
                        .setKind(CheckKind.RESOLVE).setResolver("a").setTarget("b")
                        .setEndRule(dev.verifarm.proto.v1.EndRule.newBuilder()
                                .setKind(dev.verifarm.proto.v1.EndRuleKind.SYMBOL_SIZE)).build()));
        assertEquals("expectations[3].endRule", endRuleOnResolve.field());
    }

    @Test
    void anAgentSaysWhetherItReadsHostPaths() {
        Register.Builder register = Register.newBuilder().setName("a").setArchitecture(
                dev.verifarm.proto.v1.Architecture.AMD64).setMaxConcurrency(1);
        assertFalse(WireMapping.registration(register.build()).hostPaths());
        assertTrue(WireMapping.registration(register.setCapabilities(Capabilities.newBuilder().setHostPaths(true))
                .build()).hostPaths());
    }

    @Test
    void anAgentsHealthIsKeptAsItReportsItAndGoesOutInItsAgentInfo() {
        Timestamp at = Timestamp.newBuilder().setSeconds(1_796_450_000).build();
        Register register = Register.newBuilder()
                .addHealth(ArchitectureHealth.newBuilder().setArchitecture(dev.verifarm.proto.v1.Architecture.ARM64)
                        .setHealth(Health.newBuilder().setState(Health.State.UNHEALTHY).setCheck("native resolve x=y")
                                .setReason("exit status 1").setCheckedAt(at)))
                .addHealth(ArchitectureHealth.newBuilder().setArchitecture(dev.verifarm.proto.v1.Architecture.AMD64)
                        .setHealth(Health.newBuilder().setState(Health.State.HEALTHY).setCheckedAt(at)))
                .build();

        AgentHealth health = WireMapping.health(register.getHealthList(), register.getCacheHealth());

        Instant checked = Instant.ofEpochSecond(1_796_450_000);
        assertEquals(new AgentHealth(Map.of(
                Architecture.AMD64, new dev.verifarm.coordinator.fleet.Health(
                        dev.verifarm.coordinator.fleet.Health.State.HEALTHY, "", "", Optional.of(checked)),
                Architecture.ARM64, new dev.verifarm.coordinator.fleet.Health(
                        dev.verifarm.coordinator.fleet.Health.State.UNHEALTHY, "native resolve x=y", "exit status 1",
                        Optional.of(checked))),
                dev.verifarm.coordinator.fleet.Health.UNKNOWN), health, "an unset cache health reads UNKNOWN");
        AgentRegistration registration = WireMapping.registration(register.toBuilder().setName("a")
                .setArchitecture(dev.verifarm.proto.v1.Architecture.AMD64).setMaxConcurrency(1).build());
        AgentInfo info = WireMapping.agent(new FleetMember("id", registration, health, "c", checked, checked, 0,
                false), List.of(new Quarantine("a", Architecture.ARM64, false, "alice", "bad qemu", checked),
                new Quarantine("b", Architecture.AMD64, true, "coordinator", "not a's", checked)));
        assertEquals(List.of(register.getHealth(1), register.getHealth(0)), info.getHealthList(),
                "in architecture order");
        assertEquals(Health.State.UNKNOWN, info.getCacheHealth().getState());
        assertEquals(List.of("alice: bad qemu"), info.getQuarantinesList().stream()
                .map(q -> q.getBy() + ": " + q.getReason()).toList(), "only the agent's own quarantines");
    }

    private static Result report(CheckReport.Builder report) {
        return Result.newBuilder().setLeaseId("lease-1").setAttempt(1).setReport(report).build();
    }

    private static CheckResult.Builder result(Verdict verdict) {
        return CheckResult.newBuilder().setExpectation(ExpectationWire.expectation(FORMS.get(0))).setVerdict(verdict);
    }

    @Test
    void aReportsVerdictsAreReadAndItsWholeReportKept() {
        AttemptOutcome outcome = WireMapping.outcome(report(CheckReport.newBuilder().addResults(result(Verdict.MATCH)
                .setReason("resolves to the body"))));

        assertEquals(List.of(new CheckOutcome(dev.verifarm.contract.CheckKind.RESOLVE, "main.addrOfMemcpyish",
                "main.memcpyish", dev.verifarm.coordinator.job.Verdict.MATCH, "resolves to the body")),
                outcome.results());
        assertEquals(JobState.PASSED, outcome.jobState());
        assertTrue(outcome.reportJson().orElseThrow().contains("resolves to the body"));
    }

    @Test
    void aReportThatCouldNotReadTheArtifactIsAnError() {
        AttemptOutcome outcome = WireMapping.outcome(report(CheckReport.newBuilder().setError("not an ELF file")));

        assertEquals(Optional.of("not an ELF file"), outcome.reportError());
        assertEquals(JobState.ERROR, outcome.jobState());
    }

    @Test
    void onlyTheUsersHazardsFailAJob() {
        CheckReport.Builder report = CheckReport.newBuilder().addResults(result(Verdict.MATCH)).setHazardsScanned(true)
                .addHazards(Hazard.newBuilder().setFunction("runtime.memmove").setScope("toolchain"));
        assertEquals(JobState.PASSED, WireMapping.outcome(report(report)).jobState());

        AttemptOutcome outcome = WireMapping.outcome(report(report.addHazards(Hazard.newBuilder()
                .setFunction("main.memcpyish").setScope("user"))));

        assertEquals(List.of("main.memcpyish"), outcome.userHazards());
        assertEquals(JobState.FAILED, outcome.jobState());
    }

    @Test
    void everyInfrastructureFailureKeepsItsKindAndAnUnknownOneIsInternal() {
        for (FailureKind kind : FailureKind.values()) {
            AttemptOutcome outcome = WireMapping.outcome(Result.newBuilder().setFailure(InfrastructureFailure
                    .newBuilder().setKind(InfrastructureFailure.Kind.valueOf(kind.name())).setMessage("why")).build());
            assertEquals(Optional.of(new AttemptOutcome.Failure(kind, "why")), outcome.failure());
        }
        assertEquals(FailureKind.INTERNAL, WireMapping.outcome(Result.newBuilder().setFailure(
                InfrastructureFailure.getDefaultInstance()).build()).failure().orElseThrow().kind());
    }

    @Test
    void anUnreadableResultFailsItsAttemptNamingTheField() {
        assertEquals(Optional.of(new AttemptOutcome.Failure(FailureKind.INTERNAL, "the agent sent an unreadable result:"
                + " result: neither a report nor a failure")), WireMapping.outcome(Result.newBuilder()
                .setLeaseId("lease-1").build()).failure());
        assertEquals(Optional.of(new AttemptOutcome.Failure(FailureKind.INTERNAL, "the agent sent an unreadable result:"
                + " result.report.results[1].verdict: verdict is unspecified")), WireMapping.outcome(report(
                CheckReport.newBuilder().addResults(result(Verdict.MATCH)).addResults(result(
                        Verdict.VERDICT_UNSPECIFIED)))).failure());
    }
}
