package dev.verifarm.coordinator.api.grpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Duration;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.ExecutionMode;
import dev.verifarm.coordinator.job.ExpectationWire;
import dev.verifarm.coordinator.job.JobSpec;
import dev.verifarm.coordinator.nightly.RunSummary;
import dev.verifarm.coordinator.nightly.Suite;
import dev.verifarm.coordinator.nightly.SuiteDocument;
import dev.verifarm.coordinator.nightly.SuiteEntry;
import dev.verifarm.coordinator.nightly.report.AbsentAgent;
import dev.verifarm.coordinator.nightly.report.Change;
import dev.verifarm.coordinator.nightly.report.MatrixRow;
import dev.verifarm.coordinator.nightly.report.NightlyReport;
import dev.verifarm.coordinator.problem.InvalidInputException;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.MatrixChange;
import dev.verifarm.proto.v1.NightlyRun;
import dev.verifarm.proto.v1.NightlySummary;
import dev.verifarm.proto.v1.SubmitJobRequest;

import java.time.Instant;
import java.util.Optional;

/** Between the nightly wire messages and the nightly package's suites and reports. */
final class NightlyWireMapping {

    private NightlyWireMapping() {
    }

    /**
     * A suite from the wire, read through the same document reader as files and REST bodies; each entry's artifact
     * and expectations are read as a job's are, so the wire spells them the same way in both services.
     */
    static Suite suite(dev.verifarm.proto.v1.Suite wire) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", wire.getName());
        document.put("schedule", wire.getSchedule());
        if (wire.hasDeadline()) {
            document.put("deadline", java.time.Duration.ofSeconds(wire.getDeadline().getSeconds(),
                    wire.getDeadline().getNanos()).toString());
        }
        ArrayNode entries = document.putArray("entries");
        for (int i = 0; i < wire.getEntriesCount(); i++) {
            dev.verifarm.proto.v1.SuiteEntry entry = wire.getEntries(i);
            JobSpec spec;
            try {
                spec = WireMapping.spec(SubmitJobRequest.newBuilder().setArtifact(entry.getArtifact())
                        .addAllExpectations(entry.getExpectationsList()).setDiscover(entry.getDiscover())
                        .setHazards(entry.getHazards()).setMode(entry.getMode()).build());
            } catch (InvalidInputException e) {
                throw new InvalidInputException("entries[" + i + "]." + e.field(), e.getMessage());
            }
            SuiteDocument.writeEntry(entries.addObject(), new SuiteEntry(spec.artifact(),
                    spec.declaredArchitecture(), spec.mode(), spec.discover(), spec.expectations(), spec.hazards()));
        }
        return SuiteDocument.read(document, Optional.empty());
    }

    static dev.verifarm.proto.v1.Suite suite(Suite suite) {
        dev.verifarm.proto.v1.Suite.Builder wire = dev.verifarm.proto.v1.Suite.newBuilder()
                .setName(suite.name())
                .setSchedule(suite.schedule().expression())
                .setDeadline(Duration.newBuilder().setSeconds(suite.deadline().getSeconds())
                        .setNanos(suite.deadline().getNano()))
                .setOrigin(suite.origin().orElse(""));
        suite.schedule().nextFireAfter(Instant.now()).ifPresent(at -> wire.setNextRunAt(WireMapping.timestamp(at)));
        for (SuiteEntry entry : suite.entries()) {
            dev.verifarm.proto.v1.ArtifactSource.Builder artifact = dev.verifarm.proto.v1.ArtifactSource.newBuilder();
            if (entry.artifact() instanceof ArtifactSource.Uploaded uploaded) {
                artifact.setSha256(uploaded.sha256());
            } else {
                artifact.setHostPath(HostPath.newBuilder().setPath(((ArtifactSource.HostPath) entry.artifact()).path())
                        .setArchitecture(WireMapping.architecture(entry.architecture().orElseThrow())));
            }
            wire.addEntries(dev.verifarm.proto.v1.SuiteEntry.newBuilder()
                    .setArtifact(artifact)
                    .setMode(entry.mode() == ExecutionMode.NATIVE ? dev.verifarm.proto.v1.ExecutionMode.NATIVE
                            : dev.verifarm.proto.v1.ExecutionMode.STATIC)
                    .setDiscover(entry.discover())
                    .setHazards(entry.hazards())
                    .addAllExpectations(entry.expectations().stream().map(ExpectationWire::expectation).toList()));
        }
        return wire.build();
    }

    static NightlyRun run(RunSummary run) {
        NightlyRun.Builder wire = NightlyRun.newBuilder()
                .setId(run.id())
                .setSuite(run.suite())
                .setState(run.state())
                .setTrigger(run.trigger())
                .setScheduledFor(WireMapping.timestamp(run.scheduledFor()))
                .setStartedAt(WireMapping.timestamp(run.startedAt()))
                .setDeadlineAt(WireMapping.timestamp(run.deadlineAt()));
        run.finishedAt().ifPresent(at -> wire.setFinishedAt(WireMapping.timestamp(at)));
        run.summary().ifPresent(s -> wire.setSummary(summary(s)));
        return wire.build();
    }

    static dev.verifarm.proto.v1.NightlyReport report(NightlyReport report) {
        dev.verifarm.proto.v1.NightlyReport.Builder wire = dev.verifarm.proto.v1.NightlyReport.newBuilder()
                .setRun(run(new RunSummary(report.runId(), report.suite(), report.state(), report.trigger(),
                        report.scheduledFor(), report.startedAt(), report.deadlineAt(), report.finishedAt(),
                        Optional.of(report.summary()))))
                .setPreviousRunId(report.previousRunId().orElse(""));
        for (MatrixRow row : report.matrix()) {
            wire.addMatrix(dev.verifarm.proto.v1.MatrixRow.newBuilder()
                    .setEntry(row.entry())
                    .setEntryLabel(row.entryLabel())
                    .setAgent(row.agent().orElse(""))
                    .setAgentArchitecture(row.agentArchitecture().orElse(""))
                    .setExpectation(row.expectation())
                    .setOutcome(row.outcome().name())
                    .setReason(row.reason())
                    .setJobId(row.jobId().orElse(""))
                    .setArtifactSha256(row.artifactSha256().orElse("")));
        }
        report.regressions().forEach(c -> wire.addRegressions(change(c)));
        report.recoveries().forEach(c -> wire.addRecoveries(change(c)));
        report.flaky().forEach(c -> wire.addFlaky(change(c)));
        for (AbsentAgent a : report.absent()) {
            wire.addAbsent(dev.verifarm.proto.v1.AbsentAgent.newBuilder().setEntryLabel(a.entryLabel())
                    .setAgent(a.agent()).setAgentArchitecture(a.agentArchitecture())
                    .setLastSeenRunId(a.lastSeenRunId()));
        }
        return wire.build();
    }

    private static MatrixChange change(Change c) {
        return MatrixChange.newBuilder().setEntryLabel(c.entryLabel()).setAgent(c.agent())
                .setExpectation(c.expectation()).setBefore(c.before().name()).setNow(c.now().name())
                .setPreviousRunId(c.previousRunId()).setReason(c.reason())
                .addAllHistory(c.history().stream().map(Enum::name).toList()).build();
    }

    private static NightlySummary summary(NightlyReport.Summary s) {
        return NightlySummary.newBuilder().setCells(s.cells()).setPassed(s.passed()).setFailed(s.failed())
                .setErrors(s.errors()).setRegressions(s.regressions()).setRecoveries(s.recoveries())
                .setFlaky(s.flaky()).setAbsent(s.absent()).build();
    }
}
