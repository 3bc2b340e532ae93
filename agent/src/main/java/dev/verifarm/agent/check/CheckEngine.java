package dev.verifarm.agent.check;

import java.nio.file.Path;

/** Runs the native checks on one artifact. Never throws for a bad artifact: it reports ERROR with the reason. */
public final class CheckEngine {

    public Report check(Path artifact, CheckRequest request) {
        throw new UnsupportedOperationException("engine under construction");
    }
}
