package dev.verifarm.coordinator.bench;

import java.util.List;

/** The JVM options {@code -Dverifarm.bench.coordinator-options="..."} adds to every coordinator a bench starts. */
final class CoordinatorOptions {
    private CoordinatorOptions() {
    }

    static List<String> fromProperty() {
        String more = System.getProperty("verifarm.bench.coordinator-options", "").strip();
        return more.isEmpty() ? List.of() : List.of(more.split("\\s+"));
    }
}
