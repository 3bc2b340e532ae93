package dev.verifarm.agent.bench;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.report.JsonReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The hazard scan beside discovery (both warm, in this JVM, each opening the file as the CLI does and rendering its
 * JSON report) and beside the disassemblers a user would otherwise read: {@code go tool objdump} and binutils'
 * {@code objdump -d}. The scan's goal: under twice discovery, and at least twenty times faster than objdump -d.
 */
final class HazardScanBenchmark {

    /** The disassemblers take seconds to minutes on the large files: fewer runs of them. */
    private static final int MAX_TOOL_RUNS = 2;

    private HazardScanBenchmark() {
    }

    static String table(List<Path> files, int runs) throws Exception {
        int toolRuns = Math.min(runs, MAX_TOOL_RUNS);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nHazard scan (check --hazards) beside discovery, warm, median (min) of %d"
                + " runs; go tool objdump and objdump -d, %d runs each. Wall milliseconds.%n%n", runs, toolRuns));
        out.append("| file | arch | MB | hazards user / toolchain | discovery | hazard scan | scan / discovery "
                + "| go tool objdump | objdump -d | objdump -d / scan |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Path file : files) {
            System.err.println("hazards " + file);
            List<Hazard> hazards = scan(file);
            long user = hazards.stream().filter(Hazard::user).count();
            ChecksBenchmark.Timing discovery = ChecksBenchmark.warm(runs, () -> ChecksBenchmark.discover(file));
            ChecksBenchmark.Timing scan = ChecksBenchmark.warm(runs, () -> scan(file));
            String architecture = architecture(file);
            ChecksBenchmark.Timing goObjdump = ChecksBenchmark.command(toolRuns,
                    List.of("go", "tool", "objdump", file.toString()));
            ChecksBenchmark.Timing objdump = ChecksBenchmark.command(toolRuns,
                    List.of(ChecksBenchmark.objdump(architecture), "-d", file.toString()));
            out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d / %d | %s | %s | %.2f | %s | %s | %.0f |%n",
                    file.getFileName(), architecture, Files.size(file) / 1e6, user, hazards.size() - user,
                    discovery.cell(), scan.cell(), scan.median() / discovery.median(), goObjdump.cell(), objdump.cell(),
                    objdump.median() / scan.median()));
        }
        return out.toString();
    }

    /** What {@code check FILE --hazards --format json} does after the JVM is up. */
    private static List<Hazard> scan(Path file) {
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(file, new CheckRequest(List.of(), false, ExecutionMode.STATIC, true));
        if (report.error().isPresent() || report.hazardsError().isPresent()) {
            throw new IllegalStateException("hazard scan failed on " + file + ": "
                    + report.error().or(report::hazardsError).orElseThrow());
        }
        JsonReport.render(report);
        return report.hazards().orElseThrow();
    }

    private static String architecture(Path file) {
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(file, new CheckRequest(List.of(), false, ExecutionMode.STATIC));
        return report.artifact().orElseThrow().architecture();
    }
}
