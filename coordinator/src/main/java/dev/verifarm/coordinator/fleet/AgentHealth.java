package dev.verifarm.coordinator.fleet;

import dev.verifarm.coordinator.job.Architecture;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An agent's latest health: each architecture it claims, healthy or not, and its artifact cache's. An agent that
 * reports nothing (one older than self-checks) claims no architecture and its cache is UNKNOWN.
 *
 * @param architectures in architecture order
 */
public record AgentHealth(Map<Architecture, Health> architectures, Health cache) {
    public static final AgentHealth UNREPORTED = new AgentHealth(Map.of(), Health.UNKNOWN);

    public AgentHealth {
        architectures = architectures.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(architectures));
    }
}
