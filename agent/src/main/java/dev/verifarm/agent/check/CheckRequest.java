package dev.verifarm.agent.check;

import java.util.List;
import java.util.Objects;

/** Everything the engine is asked to do with one artifact. */
public record CheckRequest(List<Expectation> expectations, boolean discover, ExecutionMode mode) {

    public CheckRequest {
        expectations = List.copyOf(Objects.requireNonNull(expectations, "expectations"));
        Objects.requireNonNull(mode, "mode");
    }
}
