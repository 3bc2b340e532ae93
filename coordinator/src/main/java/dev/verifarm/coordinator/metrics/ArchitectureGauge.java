package dev.verifarm.coordinator.metrics;

import dev.verifarm.coordinator.job.Architecture;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * A count with one gauge series per architecture (tag {@code architecture}, its Go name), set from a timer: the
 * scrape reads the last value set and never waits on what is counted.
 */
public final class ArchitectureGauge {
    private final Map<Architecture, AtomicLong> counts = new EnumMap<>(Architecture.class);

    private ArchitectureGauge() {
    }

    /** Registers gauge {@code name} for every architecture, each series with {@code tags} besides its own, at 0. */
    public static ArchitectureGauge register(MeterRegistry registry, String name, String description, Tags tags) {
        ArchitectureGauge gauge = new ArchitectureGauge();
        for (Architecture architecture : Architecture.values()) {
            AtomicLong count = new AtomicLong();
            gauge.counts.put(architecture, count);
            Gauge.builder(name, count, AtomicLong::get)
                    .description(description)
                    .tags(tags)
                    .tag("architecture", architecture.goName())
                    .register(registry);
        }
        return gauge;
    }

    public static ArchitectureGauge register(MeterRegistry registry, String name, String description) {
        return register(registry, name, description, Tags.empty());
    }

    /** Sets each architecture's series to what {@code count} says of it. */
    public void set(ToLongFunction<Architecture> count) {
        counts.forEach((architecture, value) -> value.set(count.applyAsLong(architecture)));
    }
}
