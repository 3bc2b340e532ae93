package dev.verifarm.agent.check;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;

import java.util.List;

/** Native-mode checking: run the artifact in probe mode and judge what it reports. */
public interface NativeMode {

    /** Runs the probe; {@code cancellation} stops it early, every expectation then ending in ERROR. */
    List<CheckResult> run(Artifact artifact, List<Expectation> expectations, Cancellation cancellation);
}
