package dev.verifarm.coordinator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time a process has used so far, all of it and its JIT compiler threads' share, read from {@code /proc}: on
 * two cores a JVM still compiling takes much of the machine, so a figure that leaves this out measures the
 * compiler as much as the farm.
 */
record ProcessCpu(Duration total, Duration compiler) {
    /** Linux's clock tick for /proc/PID/task/TID/stat times (USER_HZ, 100 on every mainstream kernel). */
    private static final long TICKS_PER_SECOND = 100;

    static ProcessCpu of(long pid) {
        Duration total = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
        Duration compiler = Duration.ZERO;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                compiler = compiler.plus(compilerTime(task));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the threads of process " + pid, e);
        }
        return new ProcessCpu(total, compiler);
    }

    /** The CPU time of one thread if it is a JIT compiler thread ("C1 CompilerThre", "C2 CompilerThre"). */
    private static Duration compilerTime(Path task) throws IOException {
        try {
            if (!Files.readString(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                return Duration.ZERO;
            }
            String stat = Files.readString(task.resolve("stat"));
            // after the parenthesised name: state is field 3; utime and stime are fields 14 and 15
            List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
            return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
        } catch (NoSuchFileException e) {
            return Duration.ZERO;  // the thread ended while being read
        }
    }

    /** What was used from {@code before} to this reading, as words for a report. */
    String since(ProcessCpu before, int jobs) {
        Duration all = total.minus(before.total);
        Duration jit = compiler.minus(before.compiler);
        return String.format("coordinator CPU %.1f s, %.2f ms per job, of which JIT compiler threads %.1f s (%.0f%%)",
                all.toMillis() / 1e3, all.toNanos() / 1e6 / jobs, jit.toMillis() / 1e3,
                all.isZero() ? 0 : 100.0 * jit.toMillis() / all.toMillis());
    }
}
