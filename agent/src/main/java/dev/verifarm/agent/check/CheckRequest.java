package dev.verifarm.agent.check;

import dev.verifarm.agent.check.vocabulary.Expectation;

import java.util.List;
import java.util.Objects;

/**
 * Everything the engine is asked to do with one artifact.
 *
 * @param hazards whether to scan for assembly functions whose Go func value is taken, with no expectation needed
 */
public record CheckRequest(List<Expectation> expectations, boolean discover, ExecutionMode mode, boolean hazards) {

    public CheckRequest {
        expectations = List.copyOf(Objects.requireNonNull(expectations, "expectations"));
        Objects.requireNonNull(mode, "mode");
    }

    /** A request without the hazard scan. */
    public CheckRequest(List<Expectation> expectations, boolean discover, ExecutionMode mode) {
        this(expectations, discover, mode, false);
    }
}
