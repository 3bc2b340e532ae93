package dev.verifarm.coordinator.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** Times as the pages print them: UTC to the second, and ages a person reads at a glance. */
final class Times {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    static String utc(Instant at) {
        return UTC.format(at.truncatedTo(ChronoUnit.SECONDS));
    }

    static String utc(Optional<Instant> at) {
        return at.map(Times::utc).orElse("");
    }

    static String ago(Duration age) {
        long millis = Math.max(0, age.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s ago", millis / 1000.0);
        }
        return millis < 3_600_000 ? millis / 60_000 + " min ago" : millis / 3_600_000 + " h ago";
    }
}
