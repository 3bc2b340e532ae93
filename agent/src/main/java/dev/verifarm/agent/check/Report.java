package dev.verifarm.agent.check;

import java.util.List;
import java.util.Optional;

/**
 * The engine's answer for one artifact.
 *
 * @param artifact  facts about the file, empty when it could not be read at all
 * @param error     why the artifact could not be read, when it could not
 */
public record Report(Optional<ArtifactInfo> artifact, ExecutionMode mode, List<CheckResult> results,
                     Optional<Discovery> discovery, Optional<String> error) {

    public Report {
        results = List.copyOf(results);
    }

    /** True when the artifact was readable and every expectation is MATCH. */
    public boolean passed() {
        return error.isEmpty() && results.stream().allMatch(r -> r.verdict().passed());
    }
}
