package dev.verifarm.coordinator.nightly;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A named set of artifacts every live agent verifies on a schedule.
 *
 * @param deadline how long a run may take; jobs unfinished by then are cancelled and reported as such
 * @param origin   the configuration file that declares the suite, or empty when it is managed over the API
 */
public record Suite(String name, CronSchedule schedule, Duration deadline, List<SuiteEntry> entries,
                   Optional<String> origin) {
    public static final Duration DEFAULT_DEADLINE = Duration.ofHours(1);

    public Suite {
        entries = List.copyOf(entries);
    }
}
