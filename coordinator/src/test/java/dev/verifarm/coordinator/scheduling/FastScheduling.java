package dev.verifarm.coordinator.scheduling;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The coordinator with its scheduling clocks shortened, so that leases expire, silent agents are dropped and
 * queued jobs are explained within a second or two; and fake agents may connect without TLS.
 */
public final class FastScheduling implements QuarkusTestProfile {
    /** verifarm.job.max-attempts: an infrastructure failure is retried once. */
    static final int MAX_ATTEMPTS = 2;
    /** verifarm.agent.silence-limit, in milliseconds, as the coordinator words it. */
    static final long SILENCE_LIMIT_MILLIS = 3000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "verifarm.agent.heartbeat-interval", "100ms",
                "verifarm.agent.silence-limit", SILENCE_LIMIT_MILLIS + "ms",
                "verifarm.agent.reconnect-grace", "200ms",
                "verifarm.dispatch.poll-interval", "100ms",
                "verifarm.fleet.refresh-interval", "200ms",
                "verifarm.job.max-attempts", String.valueOf(MAX_ATTEMPTS),
                "verifarm.security.allow-plaintext-agents", "true");
    }
}
