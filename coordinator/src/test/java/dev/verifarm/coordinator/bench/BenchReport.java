package dev.verifarm.coordinator.bench;

import dev.verifarm.coordinator.harness.Farm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a benchmark prints: a header describing the machine and the command, then one line per figure, each printed
 * as it is measured and all written, when the report is closed, to {@code NAME-DATE.txt} in the directory the
 * system property {@code verifarm.bench.results} names (the bench profile sets {@code bench/results}).
 */
final class BenchReport implements AutoCloseable {
    private final String name;
    private final List<String> lines = new ArrayList<>();

    private BenchReport(String name) {
        this.name = name;
    }

    /** Starts the report of benchmark {@code name} with its header. */
    static BenchReport begin(String name) {
        BenchReport report = new BenchReport(name);
        report.header(String.format("# %s benchmark, %s", name,
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        report.header("# machine: " + machine());
        report.header("# load average at start: " + loadAverage());
        report.header("# command: " + command());
        return report;
    }

    /** Prints one figure now and keeps it for the file. */
    synchronized void line(String format, Object... arguments) {
        String line = String.format(format, arguments);
        System.out.println("BENCH " + line);
        System.out.flush();
        lines.add(line);
    }

    private void header(String line) {
        System.out.println(line);
        lines.add(line);
    }

    /** Writes the raw output, ending with the load average now. */
    @Override
    public synchronized void close() {
        header("# load average at end: " + loadAverage());
        Path dir = Path.of(System.getProperty("verifarm.bench.results", Farm.workDir().toString())).normalize();
        String stem = name + "-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(stem + ".txt");
            for (int run = 2; Files.exists(file); run++) {
                file = dir.resolve(stem + "-" + run + ".txt");
            }
            Files.write(file, lines);
            System.out.println("# written to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + name + " benchmark's results to " + dir, e);
        }
    }

    private static String machine() {
        String cpu = procLine("/proc/cpuinfo", "model name").orElse("unknown CPU");
        double memoryGiB = procLine("/proc/meminfo", "MemTotal").map(v -> Long.parseLong(v.split("\\s+")[0]))
                .orElse(0L) / 1024.0 / 1024.0;
        String openFiles = procLine("/proc/self/limits", "Max open files").map(v -> v.split("\\s+")[0])
                .orElse("unknown");
        return String.format("%d cores, %s, %.1f GiB memory, Java %s (%s), %s %s, open files limit %s",
                Runtime.getRuntime().availableProcessors(), cpu, memoryGiB, System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.version"),
                openFiles);
    }

    private static String command() {
        String maven = System.getenv("MAVEN_CMD_LINE_ARGS");
        return maven != null ? "mvn " + maven.strip() : System.getProperty("sun.java.command", "unknown");
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** What follows {@code key} (and a colon, if any) on the first line of a /proc file that starts with it. */
    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(key.length()).replaceFirst("^\\s*:?\\s*", ""))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
