package dev.verifarm.agent.check.vocabulary;

import java.util.Objects;

/** The verdict on one expectation, why, and the evidence for it. */
public record CheckResult(Expectation expectation, Verdict verdict, String reason, Evidence evidence) {

    public CheckResult {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(evidence, "evidence");
    }

    public static CheckResult error(Expectation expectation, String reason) {
        return new CheckResult(expectation, Verdict.ERROR, reason, Evidence.none());
    }
}
