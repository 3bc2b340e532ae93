package dev.verifarm.agent.bench;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.Discovery;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.report.JsonReport;
import dev.verifarm.agent.testing.DebianBinaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long discovery takes on large real Go binaries, beside {@code go tool nm} and {@code readelf -sW} on the
 * same files in the same run. A benchmark, not a test: {@code bench/discovery.sh} builds the jar and runs this
 * from the test classpath, which it needs for {@link DebianBinaries}.
 *
 * <p>{@code DiscoveryBenchmark --jar JAR [--runs N] INPUT...}, where an INPUT is a file or
 * {@code debian:PACKAGE:ARCH:PATH} (a file of a Debian package, fetched as the tests fetch them). Each input is
 * timed as a user meets it (the jar in a fresh JVM), warm in this JVM, and against the tools and {@code cat}.
 */
public final class DiscoveryBenchmark {

    private static final int WARM_UP_RUNS = 5;

    private DiscoveryBenchmark() {
    }

    /** Wall times of one way of reading one file, in milliseconds. */
    record Timing(double[] millis, int exitCode) {

        double median() {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        double min() {
            return Arrays.stream(millis).min().orElseThrow();
        }

        /** {@code median (min)}, flagged with the exit code when the tool failed. */
        String cell() {
            return String.format(Locale.ROOT, "%.1f (%.1f)%s", median(), min(), exitCode == 0 ? "" : " exit " + exitCode);
        }
    }

    record Row(Path file, String architecture, boolean symtab, long bytes, int wrappers, int stubs,
               Timing cold, Timing warm, Timing goToolNm, Timing readelf, Timing cat) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        int runs = 10;
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> inputs.add(input(args[i]));
            }
        }
        if (jar == null || inputs.isEmpty() || runs < 1) {
            System.err.println("usage: DiscoveryBenchmark --jar JAR [--runs N] FILE|debian:PACKAGE:ARCH:PATH...");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (Path file : inputs) {
            System.err.println("timing " + file);
            rows.add(measure(jar, file, runs));
        }
        System.out.print(table(rows, runs));
    }

    private static Path input(String spec) {
        if (!spec.startsWith("debian:")) {
            return Path.of(spec);
        }
        String[] parts = spec.split(":", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected debian:PACKAGE:ARCH:PATH, not " + spec);
        }
        return DebianBinaries.get(parts[1], parts[2], parts[3]);
    }

    private static Row measure(Path jar, Path file, int runs) throws Exception {
        ElfFile elf = ElfFile.open(file);
        Timing cold = command(runs, List.of(javaLauncher(), "-jar", jar.toString(),
                "check", file.toString(), "--discover", "--format", "json"));
        Discovery found = discover(file);
        for (int i = 1; i < WARM_UP_RUNS; i++) {
            discover(file);
        }
        double[] warm = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            discover(file);
            warm[i] = (System.nanoTime() - start) / 1e6;
        }
        return new Row(file, elf.architecture().goName(), !elf.symbols().isEmpty(), Files.size(file),
                found.wrappers().size(), found.stubs().size(), cold, new Timing(warm, 0),
                command(runs, List.of("go", "tool", "nm", file.toString())),
                command(runs, List.of("readelf", "-sW", file.toString())),
                command(runs, List.of("cat", file.toString())));
    }

    /** What the CLI does after the JVM is up: open, discover, render the JSON report. */
    private static Discovery discover(Path file) {
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(file, new CheckRequest(List.of(), true, ExecutionMode.STATIC));
        if (report.error().isPresent()) {
            throw new IllegalStateException("discovery failed on " + file + ": " + report.error().get());
        }
        JsonReport.render(report);
        return report.discovery().orElseThrow();
    }

    /** Runs a command {@code runs} times with its output discarded, as {@code > /dev/null} would. */
    private static Timing command(int runs, List<String> command) throws IOException, InterruptedException {
        double[] millis = new double[runs];
        int exitCode = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            exitCode = Math.max(exitCode, p.waitFor());
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return new Timing(millis, exitCode);
    }

    private static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String table(List<Row> rows, int runs) {
        StringBuilder out = new StringBuilder();
        out.append("Wall milliseconds, median (min) of ").append(runs).append(" runs; ratios of medians.\n\n");
        out.append("| file | arch | .symtab | MB | wrappers / stubs | verifarm (fresh JVM) | verifarm (warm) "
                + "| go tool nm | readelf -sW | cat | fresh / nm | fresh / readelf | warm / nm | warm / readelf |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %d / %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.file().getFileName(), r.architecture(), r.symtab() ? "yes" : "stripped", r.bytes() / 1e6, r.wrappers(), r.stubs(),
                    r.cold().cell(), r.warm().cell(), r.goToolNm().cell(), r.readelf().cell(), r.cat().cell(),
                    ratio(r.cold(), r.goToolNm()), ratio(r.cold(), r.readelf()),
                    ratio(r.warm(), r.goToolNm()), ratio(r.warm(), r.readelf())));
        }
        return out.toString();
    }

    private static String ratio(Timing verifarm, Timing tool) {
        return String.format(Locale.ROOT, "%.2f", verifarm.median() / tool.median());
    }
}
