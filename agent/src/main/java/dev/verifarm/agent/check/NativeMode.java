package dev.verifarm.agent.check;

import java.util.List;

/** Native-mode checking: run the artifact in probe mode and judge what it reports. */
public interface NativeMode {

    List<CheckResult> run(Artifact artifact, List<Expectation> expectations);
}
