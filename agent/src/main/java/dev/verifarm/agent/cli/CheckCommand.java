package dev.verifarm.agent.cli;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckKind;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Expectation;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.report.JsonReport;
import dev.verifarm.agent.report.JunitReport;
import dev.verifarm.agent.report.SarifReport;
import dev.verifarm.agent.report.TextReport;
import dev.verifarm.contract.ContractException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code check FILE [--resolve R=T]... [--copy R=T[@END]]... [--discover] [--hazards] [--native]
 * [--format text|json|sarif|junit]}: exits 0 when every expectation is MATCH and no user hazard was found, 1 when
 * an expectation is not MATCH or a user hazard was found, 2 for bad usage or an unreadable artifact.
 */
public final class CheckCommand {

    static final String USAGE = """
            usage: verifarm-agent check FILE [--resolve RESOLVER=TARGET]... [--copy RESOLVER=TARGET[@END]]...
                                        [--discover] [--hazards] [--native] [--format text|json|sarif|junit]
                                        [--time-limit SECONDS] [--allow-probe-network]
              RESOLVER  a stub (main.addrOfMemcpyish), funcvalue:NAME (what Go code gets for NAME's value),
                        symbol:NAME (that exact symbol), data:NAME (the code address in data word NAME),
                        or in --native mode any name the probe reports
              TARGET    the Go name of the function meant (main.memcpyish; its body is main.memcpyish.abi0)
              END       symbol-size, pclntab-end (default) or symbol:NAME
              --hazards finds assembly functions whose Go func value (their ABI wrapper) is taken; a user one exits 1
            """;

    private CheckCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Parsed parsed;
        try {
            parsed = parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        CheckEngine engine = new CheckEngine(new NativeChecks(parsed.policy()));
        Report report = engine.check(parsed.file(), parsed.request());
        out.print(switch (parsed.format()) {
            case "json" -> JsonReport.render(report) + "\n";
            case "sarif" -> SarifReport.render(report, parsed.file()) + "\n";
            case "junit" -> JunitReport.render(report, parsed.file());
            default -> TextReport.render(report);
        });
        Optional<String> error = report.error().or(report::hazardsError);
        if (error.isPresent()) {
            err.println("error: " + error.get());
            return 2;
        }
        return report.passed() ? 0 : 1;
    }

    private static final List<String> FORMATS = List.of("text", "json", "sarif", "junit");

    private record Parsed(Path file, CheckRequest request, String format, SandboxPolicy policy) {
    }

    private static Parsed parse(List<String> args) throws UsageException {
        Path file = null;
        List<Expectation> expectations = new ArrayList<>();
        boolean discover = false;
        boolean hazards = false;
        boolean nativeMode = false;
        String format = "text";
        SandboxPolicy defaults = SandboxPolicy.defaults();
        Duration timeLimit = defaults.timeLimit();
        boolean allowNetwork = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--resolve" -> expectations.add(expectation(CheckKind.RESOLVE, value(args, ++i, a)));
                case "--copy" -> expectations.add(expectation(CheckKind.COPY, value(args, ++i, a)));
                case "--discover" -> discover = true;
                case "--hazards" -> hazards = true;
                case "--native" -> nativeMode = true;
                case "--allow-probe-network" -> allowNetwork = true;
                case "--format" -> {
                    format = value(args, ++i, a);
                    if (!FORMATS.contains(format)) {
                        throw new UsageException("--format takes text, json, sarif or junit, not '" + format + "'");
                    }
                }
                case "--time-limit" -> timeLimit = Duration.ofSeconds(positive(value(args, ++i, a), a));
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("unknown option " + a);
                    }
                    if (file != null) {
                        throw new UsageException("one FILE only; also got '" + a + "'");
                    }
                    file = Path.of(a);
                }
            }
        }
        if (file == null) {
            throw new UsageException("no FILE given");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + " is not a readable file");
        }
        if (expectations.isEmpty() && !discover && !hazards) {
            throw new UsageException("nothing to do: give --resolve, --copy, --discover or --hazards");
        }
        CheckRequest request = new CheckRequest(expectations, discover,
                nativeMode ? ExecutionMode.NATIVE : ExecutionMode.STATIC, hazards);
        return new Parsed(file, request, format, new SandboxPolicy(timeLimit, defaults.memoryLimit(), allowNetwork));
    }

    private static Expectation expectation(CheckKind kind, String text) throws UsageException {
        try {
            return Expectation.of(dev.verifarm.contract.Expectation.parse(
                    dev.verifarm.contract.CheckKind.valueOf(kind.name()), text));
        } catch (ContractException e) {
            // worded as the verifarm command line words it: the option, what was given, the contract's words
            throw new UsageException("--" + kind.name().toLowerCase(Locale.ROOT) + " " + text + ": "
                    + e.getMessage());
        }
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static long positive(String text, String option) throws UsageException {
        try {
            long v = Long.parseLong(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " takes a positive number, not '" + text + "'");
    }
}
