package dev.verifarm.coordinator.web;

import dev.verifarm.coordinator.artifact.ArtifactStore;
import dev.verifarm.coordinator.job.ArtifactSource;
import dev.verifarm.coordinator.job.AttemptView;
import dev.verifarm.coordinator.job.CheckOutcome;
import dev.verifarm.coordinator.job.JobView;
import dev.verifarm.coordinator.job.Verdict;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A job as one line of a list: its artifact by name, where it ran and its verdicts at a glance.
 *
 * @param verdicts the latest attempt's verdicts counted, e.g. {@code 2 MATCH, 1 MISMATCH}
 */
public record JobRow(String id, String state, String artifact, String architecture, String mode, String checks,
                     String verdicts, String agent, String submitted, String status) {

    static JobRow of(JobView job, ArtifactStore artifacts) {
        List<AttemptView> attempts = job.attempts();
        AttemptView last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        String checks = job.expectations().size() + (job.expectations().size() == 1 ? " check" : " checks")
                + (job.discover() ? " + discovery" : "") + (job.hazards() ? " + hazards" : "")
                + (job.fleetWide() ? ", fleet-wide" : "");
        return new JobRow(job.id(), job.state().name(), artifactName(job.artifact(), artifacts),
                job.architecture().goName(), job.mode().name().toLowerCase(Locale.ROOT), checks,
                last == null ? "" : verdicts(last.results()), last == null ? "" : last.agentName(),
                Times.utc(job.submittedAt()), job.status());
    }

    /**
     * The last eight characters of the id, as lists show it: the first ones of a time-ordered id are its time, the
     * same for the jobs submitted together.
     */
    public String shortId() {
        return id.substring(Math.max(0, id.length() - 8));
    }

    /** An upload by the name it was uploaded under, a host path as the path. */
    static String artifactName(ArtifactSource source, ArtifactStore artifacts) {
        if (source instanceof ArtifactSource.Uploaded uploaded) {
            return artifacts.get("artifact.sha256", uploaded.sha256()).name();
        }
        return ((ArtifactSource.HostPath) source).path();
    }

    private static String verdicts(List<CheckOutcome> results) {
        Map<Verdict, Long> counts = results.stream().collect(Collectors.groupingBy(CheckOutcome::verdict,
                () -> new EnumMap<>(Verdict.class), Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name())
                .collect(Collectors.joining(", "));
    }
}
