package dev.verifarm.agent.bench;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.resolve.StaticResolver;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.ResolverStub;
import dev.verifarm.agent.check.vocabulary.WrapperPair;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.wire.CheckWire;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.report.JsonReport;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.SymbolOffset;
import dev.verifarm.agent.testing.DebianBinaries;
import dev.verifarm.proto.v1.ArtifactSource;
import dev.verifarm.proto.v1.CheckReport;
import dev.verifarm.proto.v1.HostPath;
import dev.verifarm.proto.v1.Lease;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What checks cost on large real Go binaries, beside {@code go tool nm}, {@code readelf -sW}, {@code objdump -d}
 * and {@code cat} on the same files in the same run. A benchmark, not a test: {@code bench/checks.sh} builds the
 * jar and runs this from the test classpath, which it needs for {@link DebianBinaries}.
 *
 * <p>{@code ChecksBenchmark --jar JAR [--runs N] [--scale INPUT]... INPUT...}, where an INPUT is a file or
 * {@code debian:PACKAGE:ARCH:PATH} (a file of a Debian package, fetched as the tests fetch them). Per input:
 * discovery warm and in a fresh JVM; every expectation discovery suggests (each wrapper and stub as a RESOLVE
 * expectation) in one request, and a single stub check, both warm and both through the path an agent takes for
 * a lease ({@link CheckWire} in, {@link CheckEngine}, {@link CheckWire} out, serialised); and the tools. A
 * {@code --scale} input is also timed with 0, 1, 100 and 1000 expectations in one request, of two kinds: the
 * discovered ones repeated, and as many different functions. A {@code --hazards} input has the hazard scan timed beside
 * discovery and the disassemblers ({@link HazardScanBenchmark}).
 */
public final class ChecksBenchmark {

    private static final int WARM_UP_RUNS = 5;
    private static final int[] SCALE = {0, 1, 100, 1000};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ChecksBenchmark() {
    }

    /** Wall times of one way of reading one file, in milliseconds. */
    record Timing(double[] millis, int exitCode) {

        static Timing of(double[] millis) {
            return new Timing(millis, 0);
        }

        double median() {
            return ChecksBenchmark.median(millis);
        }

        double min() {
            return Arrays.stream(millis).min().orElseThrow();
        }

        /** {@code median (min)}, flagged with the exit code when the tool failed. */
        String cell() {
            return String.format(Locale.ROOT, "%.1f (%.1f)%s", median(), min(), exitCode == 0 ? "" : " exit " + exitCode);
        }
    }

    /** One tool's timing, with the name of the tool that ran. */
    record ToolTiming(String tool, Timing timing) {
    }

    record Row(Path file, String architecture, boolean symtab, long bytes, int functions, int wrappers, int stubs,
               Timing discovery, Timing all, int expectations, Map<String, Integer> verdicts, Timing oneCheck,
               String oneCheckExpectation, Timing fresh, Timing goToolNm, Timing readelf, ToolTiming objdump,
               Timing cat) {
    }

    /** n expectations in one request: wall and CPU milliseconds. */
    record ScalePoint(int expectations, Timing wall, Timing cpu) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        int runs = 5;
        List<Path> inputs = new ArrayList<>();
        List<Path> scale = new ArrayList<>();
        List<Path> hazards = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--scale" -> scale.add(input(args[++i]));
                case "--hazards" -> hazards.add(input(args[++i]));
                default -> inputs.add(input(args[i]));
            }
        }
        if (jar == null || (inputs.isEmpty() && scale.isEmpty() && hazards.isEmpty()) || runs < 1) {
            System.err.println("usage: ChecksBenchmark --jar JAR [--runs N] [--scale INPUT]... [--hazards INPUT]..."
                    + " INPUT..., INPUT: FILE or debian:PACKAGE:ARCH:PATH");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (Path file : inputs) {
            System.err.println("timing " + file);
            rows.add(measure(jar, file, runs));
        }
        if (!rows.isEmpty()) {
            System.out.print(tables(rows, runs));
        }
        for (Path file : scale) {
            System.err.println("scaling " + file);
            System.out.print(scale(file, runs));
        }
        if (!hazards.isEmpty()) {
            System.out.print(HazardScanBenchmark.table(hazards, runs));
        }
    }

    public static Path input(String spec) {
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
        String architecture;
        boolean symtab;
        int functions;
        try (Artifact artifact = Artifact.open(file)) {
            architecture = artifact.elf().architecture().goName();
            symtab = artifact.symbols().hasSymtab();
            functions = artifact.symbols().functions().size();
        }
        Discovery found = discover(file);
        Timing discovery = warm(runs, () -> discover(file));

        List<Expectation> expectations = expectations(found);
        CheckReport all = lease(file, expectations);
        Map<String, Integer> verdicts = new TreeMap<>();
        all.getResultsList().forEach(r -> verdicts.merge(r.getVerdict().name(), 1, Integer::sum));
        Timing allTiming = warm(runs, () -> lease(file, expectations));

        List<Expectation> one = expectations.isEmpty() ? List.of() : List.of(oneStub(expectations));
        Timing oneCheck = warm(runs, () -> lease(file, one));

        Timing fresh = command(runs, List.of(javaLauncher(), "-jar", jar.toString(),
                "check", file.toString(), "--discover", "--format", "json"));
        String objdump = objdump(architecture);
        return new Row(file, architecture, symtab, Files.size(file), functions, found.wrappers().size(),
                found.stubs().size(), discovery, allTiming, expectations.size(), verdicts, oneCheck,
                one.isEmpty() ? "none" : one.get(0).resolver() + "=" + one.get(0).target(), fresh,
                command(runs, List.of("go", "tool", "nm", file.toString())),
                command(runs, List.of("readelf", "-sW", file.toString())),
                new ToolTiming(objdump, command(runs, List.of(objdump, "-d", file.toString()))),
                command(runs, List.of("cat", file.toString())));
    }

    /** What the CLI does after the JVM is up: open, discover, render the JSON report. */
    public static Discovery discover(Path file) {
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(file, new CheckRequest(List.of(), true, ExecutionMode.STATIC));
        if (report.error().isPresent()) {
            throw new IllegalStateException("discovery failed on " + file + ": " + report.error().get());
        }
        JsonReport.render(report);
        return report.discovery().orElseThrow();
    }

    /**
     * Every expectation discovery suggests, each a RESOLVE: a wrapper's func value against its name (Go code that
     * takes the function's value), a stub against the function it yields.
     */
    public static List<Expectation> expectations(Discovery discovery) {
        List<Expectation> out = new ArrayList<>();
        for (WrapperPair w : discovery.wrappers()) {
            out.add(Expectation.resolve(StaticResolver.FUNC_VALUE + w.name(), w.name()));
        }
        for (ResolverStub s : discovery.stubs()) {
            Optional<SymbolOffset> yields = s.yields().symbol();
            yields.ifPresent(y -> out.add(Expectation.resolve(s.name(), y.symbol())));
        }
        return out;
    }

    /** The first stub's expectation, else the first wrapper's: one check of the kind a user writes. */
    public static Expectation oneStub(List<Expectation> expectations) {
        return expectations.stream().filter(e -> !e.resolver().startsWith(StaticResolver.FUNC_VALUE)).findFirst()
                .orElse(expectations.get(0));
    }

    /**
     * One request as an agent serves a lease for a file on its host: the wire request, the engine, the wire report
     * serialised for sending.
     */
    static CheckReport lease(Path file, List<Expectation> expectations) {
        CheckRequest request = CheckWire.request(hostPathLease(file, expectations));
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults())).check(file, request);
        if (report.error().isPresent()) {
            throw new IllegalStateException("checks failed on " + file + ": " + report.error().get());
        }
        CheckReport wire = CheckWire.report(report);
        wire.toByteArray();
        return wire;
    }

    /** A static lease of expectations on a file of this host. */
    public static Lease hostPathLease(Path file, List<Expectation> expectations) {
        Lease.Builder lease = Lease.newBuilder().setLeaseId("bench").setAttempt(1)
                .setArtifact(ArtifactSource.newBuilder().setHostPath(HostPath.newBuilder().setPath(file.toString())))
                .setMode(dev.verifarm.proto.v1.ExecutionMode.STATIC);
        expectations.forEach(e -> lease.addExpectations(CheckWire.expectation(e)));
        return lease.build();
    }

    /** Wall times in this JVM after {@link #WARM_UP_RUNS} unmeasured runs. */
    static Timing warm(int runs, Supplier<?> work) {
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            work.get();
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return Timing.of(millis);
    }

    /** Both kinds of request, each at every size of {@link #SCALE}. */
    private static String scale(Path file, int runs) throws IOException, ElfFormatException {
        int most = SCALE[SCALE.length - 1];
        List<Expectation> suggested = expectations(discover(file));
        if (suggested.isEmpty()) {
            throw new IllegalStateException(file + " has no wrapper or stub to make expectations of");
        }
        List<Expectation> repeated = new ArrayList<>(most);
        for (int i = 0; i < most; i++) {
            repeated.add(suggested.get(i % suggested.size()));
        }
        return scaleTable(file, "the " + suggested.size() + " discovered expectations, repeated up to n (a suite that "
                + "names the same functions again; each a wrapper pair, told apart by decoding)", scale(file, repeated, runs))
                + scaleTable(file, "n different functions: the discovered ones, then the func values of further functions "
                + "in address order", scale(file, distinctExpectations(file, most), runs));
    }

    private static List<ScalePoint> scale(Path file, List<Expectation> expectations, int runs) {
        List<ScalePoint> out = new ArrayList<>();
        for (int n : SCALE) {
            List<Expectation> request = expectations.subList(0, n);
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                lease(file, request);
            }
            double[] wall = new double[runs];
            double[] cpu = new double[runs];
            for (int i = 0; i < runs; i++) {
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                lease(file, request);
                wall[i] = (System.nanoTime() - start) / 1e6;
                cpu[i] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6;
            }
            out.add(new ScalePoint(n, Timing.of(wall), Timing.of(cpu)));
        }
        return out;
    }

    /**
     * n expectations that name n different functions: those discovery suggests, then the func value of every further
     * function in address order (a plain function: its value is its body).
     */
    private static List<Expectation> distinctExpectations(Path file, int n) throws IOException, ElfFormatException {
        List<Expectation> out = new ArrayList<>(expectations(discover(file)));
        Set<String> named = new HashSet<>();
        out.forEach(e -> named.add(e.target()));
        try (Artifact artifact = Artifact.open(file)) {
            for (CodeSymbol f : artifact.symbols().functions()) {
                if (out.size() >= n) {
                    break;
                }
                if (named.add(f.name())) {
                    out.add(Expectation.resolve(StaticResolver.FUNC_VALUE + f.name(), f.name()));
                }
            }
        }
        if (out.size() < n) {
            throw new IllegalStateException(file + " has only " + out.size() + " functions, fewer than " + n);
        }
        return out.subList(0, n);
    }

    /** GNU objdump for the file's machine: the cross one for arm64 where it is installed. */
    static String objdump(String goArch) {
        if (goArch.equals("arm64") && Files.isExecutable(Path.of("/usr/bin/aarch64-linux-gnu-objdump"))) {
            return "aarch64-linux-gnu-objdump";
        }
        return "objdump";
    }

    /** Runs a command {@code runs} times with its output discarded, as {@code > /dev/null} would. */
    static Timing command(int runs, List<String> command) throws IOException, InterruptedException {
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

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String tables(List<Row> rows, int runs) {
        StringBuilder out = new StringBuilder();
        out.append("Wall milliseconds, median (min) of ").append(runs).append(" runs. Warm: in this JVM after ")
                .append(WARM_UP_RUNS).append(" unmeasured runs. The tools and the fresh JVM include starting a process.\n\n");
        out.append("| file | arch | .symtab | MB | functions | wrappers / stubs | discovery (warm) "
                + "| all expectations (warm) | one stub check (warm) | discovery (fresh JVM) | go tool nm | readelf -sW "
                + "| objdump -d | cat |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %d | %d / %d | %s | %s: %s | %s | %s | %s | %s | %s | %s |%n",
                    r.file().getFileName(), r.architecture(), r.symtab() ? "yes" : "stripped", r.bytes() / 1e6,
                    r.functions(), r.wrappers(), r.stubs(), r.discovery().cell(), r.expectations(), r.all().cell(),
                    r.oneCheck().cell(), r.fresh().cell(), r.goToolNm().cell(), r.readelf().cell(),
                    r.objdump().timing().cell(), r.cat().cell()));
        }
        out.append("\nDerived from the medians. objdump: the binutils objdump that ran; all expectations: each wrapper's "
                + "func value and each stub's yield as a RESOLVE expectation, in one request.\n\n");
        out.append("| file | arch | discovery MB/s | discovery µs / function | all: request µs / expectations | all / readelf "
                + "| all / objdump | one check / cat | objdump | verdicts of all | one check |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.2f | %s | %.2f | %.3f | %.2f | %s | %s | %s |%n",
                    r.file().getFileName(), r.architecture(), r.bytes() / 1e6 / (r.discovery().median() / 1e3),
                    r.discovery().median() * 1e3 / r.functions(),
                    r.expectations() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.all().median() * 1e3 / r.expectations()),
                    r.all().median() / r.readelf().median(), r.all().median() / r.objdump().timing().median(),
                    r.oneCheck().median() / r.cat().median(), r.objdump().tool(), r.verdicts(), r.oneCheckExpectation()));
        }
        return out.toString();
    }

    private static String scaleTable(Path file, String expectations, List<ScalePoint> points) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nScale, %s, n expectations in one request, warm: %s. Median (min) "
                + "of %d runs; CPU of the requesting thread (the checks run there; hashing the file runs beside it).%n%n",
                file, expectations, points.get(0).wall().millis().length));
        out.append("| n | wall ms | CPU ms |\n|---:|---:|---:|\n");
        for (ScalePoint p : points) {
            out.append(String.format(Locale.ROOT, "| %d | %s | %s |%n", p.expectations(), p.wall().cell(), p.cpu().cell()));
        }
        ScalePoint none = points.get(0);
        ScalePoint most = points.get(points.size() - 1);
        int n = most.expectations();
        out.append(String.format(Locale.ROOT, "%nCost per expectation, (n=%d - n=0) / %d: %.1f µs wall, %.1f µs CPU%n",
                n, n, (most.wall().median() - none.wall().median()) * 1e3 / n,
                (most.cpu().median() - none.cpu().median()) * 1e3 / n));
        return out.toString();
    }
}
