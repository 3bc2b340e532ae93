package dev.verifarm.agent.probe;

import java.time.Duration;

/**
 * Limits for running an artifact in probe mode.
 *
 * @param timeLimit    wall-clock time before the probe is killed
 * @param memoryLimit  address-space limit (RLIMIT_AS) in bytes for native runs
 * @param allowNetwork run even where no network namespace can be made (an operator's explicit opt-out)
 */
public record SandboxPolicy(Duration timeLimit, long memoryLimit, boolean allowNetwork) {

    public static SandboxPolicy defaults() {
        return new SandboxPolicy(Duration.ofSeconds(30), 4L << 30, false);
    }
}
