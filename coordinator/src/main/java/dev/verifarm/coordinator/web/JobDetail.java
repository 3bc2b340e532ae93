package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.artifact.LoadedBytes;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptView;
import dev.verifarm.coordinator.job.JobEvent;
import dev.verifarm.coordinator.job.JobView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job as its page shows it: its facts, its attempts, the evidence of the latest report and its history so far.
 *
 * @param report       the latest attempt that sent a report, read; empty while none has
 * @param lastSequence the last history event rendered, so that the live view adds only newer ones
 */
public record JobDetail(JobRow job, boolean finished, List<Fact> facts, List<Attempt> attempts,
                        Optional<ReportEvidence> report, List<Event> history, long lastSequence) {

    /** {@code suspect}: why its result is not to be trusted (its agent failed a self-check after it); or empty. */
    public record Attempt(int number, String agent, String state, String leased, String started, String finished,
                          String failure, String suspect) {
    }

    public record Event(long sequence, String at, String state, String message) {
    }

    static JobDetail of(JobView job, List<JobEvent> history, ArtifactStore artifacts) {
        JobRow row = JobRow.of(job, artifacts);
        List<Fact> facts = new ArrayList<>(List.of(new Fact("artifact", row.artifact()),
                new Fact("architecture", row.architecture()), new Fact("mode", row.mode()),
                new Fact("checks", row.checks()), new Fact("priority", Integer.toString(job.priority())),
                new Fact("submitted", row.submitted())));
        job.finishedAt().map(Times::utc).ifPresent(at -> facts.add(new Fact("finished", at)));
        facts.add(new Fact("status", job.status()));
        Optional<ReportEvidence> report = job.attempts().stream().map(AttemptView::reportJson)
                .flatMap(Optional::stream).reduce((first, second) -> second).map(json -> ReportEvidence.parse(json,
                        fileBytes(job, artifacts)));
        return new JobDetail(row, job.state().terminal(), facts, job.attempts().stream().map(JobDetail::attempt)
                .toList(), report, history.stream().map(e -> new Event(e.sequence(), Times.utc(e.at()),
                e.state().name(), e.message())).toList(),
                history.isEmpty() ? 0 : history.get(history.size() - 1).sequence());
    }

    /** An upload's bytes are here to read; a host path's are only on the agents' hosts. */
    private static ByteDiff.FileBytes fileBytes(JobView job, ArtifactStore artifacts) {
        if (!(job.artifact() instanceof ArtifactSource.Uploaded uploaded)) {
            return ByteDiff.FileBytes.NONE;
        }
        return (address, length) -> {
            try {
                return LoadedBytes.read(artifacts.cached(uploaded.sha256()), address, length);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read artifact " + uploaded.sha256(), e);
            }
        };
    }

    private static Attempt attempt(AttemptView a) {
        return new Attempt(a.number(), a.agentName(), a.state().name(), Times.utc(a.leasedAt()),
                Times.utc(a.startedAt()), Times.utc(a.finishedAt()),
                a.failure().map(f -> f.kind() + ": " + f.message()).orElse(""), a.suspect().orElse(""));
    }
}
