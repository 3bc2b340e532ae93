package dev.verifarm.agent.probe;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One finished probe run.
 *
 * @param output       what the probe printed
 * @param loadBias     runtime minus file address of the image
 * @param emulated     whether it ran under qemu-user
 * @param destinations bytes read from each copy's destination in the live process, by copy name
 * @param limitation   what this run could not observe, when anything
 * @param uid          the real user id the probe ran as, from /proc/PID/status
 */
record ProbeSession(ProbeOutput output, long loadBias, boolean emulated, Map<String, byte[]> destinations,
                    Optional<String> limitation, OptionalLong uid) {
}
