package dev.verifarm.agent.check.vocabulary;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a probe run reported, for native-mode results.
 *
 * @param emulated        whether the probe ran under qemu-user rather than on the artifact's own architecture
 * @param loadBias        runtime address minus file address of the artifact's text (0 for non-PIE)
 * @param reportedAddress the runtime address the probe printed
 * @param destination     for copies, the runtime address the text was copied to
 * @param limitation      what this mode could not check, when anything
 */
public record NativeObservation(boolean emulated, long loadBias, long reportedAddress, OptionalLong destination,
                                Optional<String> limitation) {
}
