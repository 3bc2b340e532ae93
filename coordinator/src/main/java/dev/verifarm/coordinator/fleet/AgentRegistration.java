package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.InvalidInputException;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an agent says about itself when it connects.
 *
 * @param emulated architectures qemu-user runs on its host
 * @param serves    architectures it takes work for: its own and emulated ones, as its operator chose
 * @param hostPaths whether it reads host-path artifacts: its operator named directories it may read them under
 */
public record AgentRegistration(String name, String hostname, Architecture architecture, String kernel, String cpu,
                                boolean nativeExecution, Set<Architecture> emulated, Set<Architecture> serves,
                                int maxConcurrency, String agentVersion, boolean hostPaths) {

    public AgentRegistration {
        emulated = emulated.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(emulated));
        serves = serves.isEmpty() ? Set.of(architecture) : Set.copyOf(EnumSet.copyOf(serves));
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("register.name", "the agent name is required");
        }
        if (maxConcurrency < 1 || maxConcurrency > 1024) {
            throw new InvalidInputException("register.max_concurrency",
                    "max_concurrency must be between 1 and 1024, got " + maxConcurrency);
        }
        for (Architecture a : serves) {
            if (a != architecture && !emulated.contains(a)) {
                throw new InvalidInputException("register.capabilities.serves", "an " + architecture
                        + " agent cannot serve " + a + " without emulating it");
            }
        }
    }
}
