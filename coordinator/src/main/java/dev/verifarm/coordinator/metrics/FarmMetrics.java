package dev.verifarm.coordinator.metrics;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.job.CheckOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the scheduler counts as it goes: dispatch latency, verdicts and expired leases. Prometheus sees them as
 * {@code verifarm_dispatch_latency_seconds}, {@code verifarm_verdicts_total} and
 * {@code verifarm_lease_expiries_total}. Each method is one call at the place where the thing happens.
 */
@ApplicationScoped
public class FarmMetrics {
    private final MeterRegistry registry;

    @Inject
    FarmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A job submitted at {@code submittedAt} was just leased to an agent. */
    public void leased(Architecture architecture, Instant submittedAt) {
        Timer.builder("verifarm.dispatch.latency")
                .description("Time from a job's submission to each lease of it to an agent")
                .tag("architecture", architecture.goName())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(Duration.between(submittedAt, Instant.now()));
    }

    /** An agent's report came back with these results. */
    public void verdicts(List<CheckOutcome> results) {
        for (CheckOutcome result : results) {
            Counter.builder("verifarm.verdicts")
                    .description("Check results recorded, by verdict and check kind")
                    .tag("verdict", result.verdict().name())
                    .tag("kind", result.kind().name())
                    .register(registry)
                    .increment();
        }
    }

    /** A lease ended without a result, for {@code reason} (a short snake_case word such as agent_lost). */
    public void leaseExpired(String reason) {
        Counter.builder("verifarm.lease.expiries")
                .description("Leases that ended without a result and were taken back, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
