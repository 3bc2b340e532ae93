package dev.verifarm.agent.check;

import dev.verifarm.agent.check.artifact.ArtifactInfo;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.Hazard;

import java.util.List;
import java.util.Optional;

/**
 * The engine's answer for one artifact.
 *
 * @param artifact     facts about the file, empty when it could not be read at all
 * @param hazards      the hazard scan's findings, when it was asked for and could be carried out
 * @param hazardsError why the hazard scan could not be carried out, when it could not
 * @param error        why the artifact could not be read, when it could not
 */
public record Report(Optional<ArtifactInfo> artifact, ExecutionMode mode, List<CheckResult> results,
                     Optional<Discovery> discovery, Optional<List<Hazard>> hazards, Optional<String> hazardsError,
                     Optional<String> error) {

    public Report {
        results = List.copyOf(results);
        hazards = hazards.map(List::copyOf);
    }

    /** True when the artifact was readable, every expectation is MATCH and no user hazard was found. */
    public boolean passed() {
        return error.isEmpty() && hazardsError.isEmpty() && results.stream().allMatch(r -> r.verdict().passed())
                && userHazards().isEmpty();
    }

    /** The hazards in the user's code: what a CI gate fails on. */
    public List<Hazard> userHazards() {
        return hazards.orElse(List.of()).stream().filter(Hazard::user).toList();
    }
}
