package dev.verifarm.agent.cli;

import dev.verifarm.agent.check.ArtifactSource;
import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckKind;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.report.JsonReport;
import dev.verifarm.agent.report.JunitReport;
import dev.verifarm.agent.report.SarifReport;
import dev.verifarm.agent.report.TextReport;
import dev.verifarm.contract.ContractException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code check FILE [--resolve R=T]... [--copy R=T[@END]]... [--discover] [--hazards] [--native]
 * [--format text|json|sarif|junit]}: exits 0 when every expectation is MATCH and no user hazard was found, 1 when
 * an expectation is not MATCH or a user hazard was found, 2 for bad usage or an unreadable artifact.
 */
@Command(name = "check", sortOptions = false,
        description = "Check the resolvers and copies of one ELF file, without a farm.",
        footer = {"",
                "RESOLVER  a stub (main.addrOfMemcpyish), funcvalue:NAME (what Go code gets for NAME's value),",
                "          symbol:NAME (that exact symbol), data:NAME (the code address in data word NAME),",
                "          or in --native mode any name the probe reports",
                "TARGET    the Go name of the function meant (main.memcpyish; its body is main.memcpyish.abi0)",
                "END       symbol-size, pclntab-end (default) or symbol:NAME",
                "Exit status: 0 every expectation MATCH and no user hazard, 1 not, 2 bad usage or an unreadable"
                        + " file."})
final class CheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private Main agent;

    @Parameters(paramLabel = "FILE", description = "the ELF file (amd64 or arm64)")
    private Path file;

    @Option(names = "--resolve", paramLabel = "RESOLVER=TARGET", description = "the resolver must yield TARGET")
    private List<String> resolve = new ArrayList<>();

    @Option(names = "--copy", paramLabel = "RESOLVER=TARGET[@END]",
            description = "the text from the resolver's address to END must be TARGET's, and relocatable")
    private List<String> copy = new ArrayList<>();

    @Option(names = "--discover", description = "list the resolver stubs, wrapper pairs and data words found")
    private boolean discover;

    @Option(names = "--hazards", description = "find assembly functions whose Go func value (their ABI wrapper)"
            + " is taken; a user one exits 1")
    private boolean hazards;

    @Option(names = "--native", description = "run the program in a sandbox and ask it through the probe protocol")
    private boolean nativeMode;

    @Option(names = "--format", paramLabel = "text|json|sarif|junit", completionCandidates = Formats.class,
            description = "the report's form (default: text)")
    private String format = "text";

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "--native: how long the probe may run")
    private Optional<Long> timeLimit = Optional.empty();

    @Option(names = "--allow-probe-network", description = "--native: run the probe even where no network"
            + " namespace can be made for it")
    private boolean allowProbeNetwork;

    @Override
    public Integer call() {
        CheckRequest request = request();
        SandboxPolicy defaults = SandboxPolicy.defaults();
        Duration limit = timeLimit.map(Duration::ofSeconds).orElse(defaults.timeLimit());
        CheckEngine engine = new CheckEngine(new NativeChecks(new SandboxPolicy(limit, defaults.memoryLimit(),
                allowProbeNetwork)), ArtifactSource.freshIn(agent.workingDirectory()));
        Report report = engine.check(file, request);
        PrintWriter out = spec.commandLine().getOut();
        out.print(switch (format) {
            case "json" -> JsonReport.render(report) + "\n";
            case "sarif" -> SarifReport.render(report, file) + "\n";
            case "junit" -> JunitReport.render(report, file);
            default -> TextReport.render(report);
        });
        out.flush();
        Optional<String> error = report.error().or(report::hazardsError);
        if (error.isPresent()) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + error.get());
            return Main.ERROR;
        }
        return report.passed() ? 0 : 1;
    }

    /** What the options ask for; what they cannot mean is a usage error. */
    private CheckRequest request() {
        if (!new Formats().contains(format)) {
            throw usage("--format takes text, json, sarif or junit, not '" + format + "'");
        }
        timeLimit.filter(seconds -> seconds <= 0).ifPresent(seconds -> {
            throw usage("--time-limit takes a positive number of seconds, not '" + seconds + "'");
        });
        if (!Files.isRegularFile(agent.workingDirectory().resolve(file))) {
            throw usage(file + " is not a readable file");
        }
        List<Expectation> expectations = expectations();
        if (expectations.isEmpty() && !discover && !hazards) {
            throw usage("nothing to do: give --resolve, --copy, --discover or --hazards");
        }
        return new CheckRequest(expectations, discover, nativeMode ? ExecutionMode.NATIVE : ExecutionMode.STATIC,
                hazards);
    }

    /** In the order the command line gives them, --resolve and --copy interleaved: the report keeps that order. */
    private List<Expectation> expectations() {
        Iterator<String> resolves = resolve.iterator();
        Iterator<String> copies = copy.iterator();
        List<Expectation> expectations = new ArrayList<>();
        for (ArgSpec matched : spec.commandLine().getParseResult().matchedArgs()) {
            if (matched == spec.findOption("--resolve")) {
                expectations.add(expectation(CheckKind.RESOLVE, resolves.next()));
            } else if (matched == spec.findOption("--copy")) {
                expectations.add(expectation(CheckKind.COPY, copies.next()));
            }
        }
        return expectations;
    }

    private Expectation expectation(CheckKind kind, String text) {
        try {
            return Expectation.of(dev.verifarm.contract.Expectation.parse(
                    dev.verifarm.contract.CheckKind.valueOf(kind.name()), text));
        } catch (ContractException e) {
            // worded as the verifarm command line words it: the option, what was given, the contract's words
            throw usage("--" + kind.name().toLowerCase(Locale.ROOT) + " " + text + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The words of --format, for its check and shell completion. */
    static final class Formats extends ArrayList<String> {
        Formats() {
            super(List.of("text", "json", "sarif", "junit"));
        }
    }
}
