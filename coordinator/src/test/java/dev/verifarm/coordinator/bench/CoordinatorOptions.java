package dev.verifarm.coordinator.bench;

import java.util.List;

/**
 * JVM options the benches add to the coordinators they start: {@code -Dverifarm.bench.coordinator-options="..."},
 * and a flight recording with the settings {@code -Dverifarm.bench.jfr-settings} names (a .jfc file; {@code
 * profile} by default).
 */
final class CoordinatorOptions {
    private CoordinatorOptions() {
    }

    /** The option that records the coordinator with Java Flight Recorder into {@code file}, dumped on exit. */
    static String flightRecording(String file) {
        return "-XX:StartFlightRecording=settings=" + System.getProperty("verifarm.bench.jfr-settings", "profile")
                + ",dumponexit=true,filename=" + file;
    }

    static List<String> fromProperty() {
        String more = System.getProperty("verifarm.bench.coordinator-options", "").strip();
        return more.isEmpty() ? List.of() : List.of(more.split("\\s+"));
    }
}
