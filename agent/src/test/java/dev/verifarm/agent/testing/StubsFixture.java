package dev.verifarm.agent.testing;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.EndRule;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.ToolchainTruth.NmSymbol;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The {@code stubs} program built for one architecture and variant, with what the Go toolchain says about
 * it. Stripped variants take their expected addresses from the unstripped twin ({@link #truth()}): the
 * linker lays out text identically, only the symbol table is gone.
 */
public record StubsFixture(GoArch arch, BuildVariant variant) {

    /** The correct resolver stub: yields the body {@code main.memcpyish.abi0}. */
    public static final Expectation RESOLVE_STUB = Expectation.resolve("main.addrOfMemcpyish", "main.memcpyish");
    /** The wrong stub: yields {@code main.otherLeaf.abi0}. */
    public static final Expectation RESOLVE_WRONG_STUB = Expectation.resolve("main.addrOfWrong", "main.memcpyish");
    /** What Go code gets for memcpyish's value: the ABI wrapper. */
    public static final Expectation RESOLVE_FUNC_VALUE =
            Expectation.resolve("funcvalue:main.memcpyish", "main.memcpyish");
    /** gVisor's copy of the body: [stub's address, pclntab end). */
    public static final Expectation COPY_BODY =
            Expectation.copy("main.addrOfMemcpyish", "main.memcpyish", EndRule.pclntabEnd());
    public static final Expectation COPY_BODY_SYMBOL_SIZE =
            Expectation.copy("main.addrOfMemcpyish", "main.memcpyish", EndRule.symbolSize());
    /** A copy that starts at the wrapper, as one made through a func value does. */
    public static final Expectation COPY_WRAPPER =
            Expectation.copy("funcvalue:main.memcpyish", "main.memcpyish", EndRule.pclntabEnd());
    /** escaping calls helperLeaf and reads table: its copy cannot run elsewhere. */
    public static final Expectation COPY_ESCAPING =
            Expectation.copy("main.addrOfEscaping", "main.escaping", EndRule.pclntabEnd());
    public static final Expectation COPY_ESCAPING_SYMBOL_SIZE =
            Expectation.copy("main.addrOfEscaping", "main.escaping", EndRule.symbolSize());

    /** Every expectation above, in one request: one engine run per fixture serves every test. */
    public static final List<Expectation> ALL = List.of(RESOLVE_STUB, RESOLVE_WRONG_STUB, RESOLVE_FUNC_VALUE,
            COPY_BODY, COPY_BODY_SYMBOL_SIZE, COPY_WRAPPER, COPY_ESCAPING, COPY_ESCAPING_SYMBOL_SIZE);

    private static final Map<Path, List<NmSymbol>> NM = new ConcurrentHashMap<>();
    private static final Map<StubsFixture, Report> STATIC_REPORTS = new ConcurrentHashMap<>();

    /** Every architecture with every variant. */
    public static Stream<StubsFixture> all() {
        return Stream.of(GoArch.values()).flatMap(a -> Stream.of(BuildVariant.values()).map(v -> new StubsFixture(a, v)));
    }

    public Path binary() {
        return GoFixtures.build("stubs", arch, variant);
    }

    /** The binary whose symbol table gives the expected values: itself, or its unstripped twin. */
    public Path truth() {
        return GoFixtures.build("stubs", arch, variant.unstripped());
    }

    /** The engine's static report on {@link #ALL} with discovery, computed once per fixture. */
    public Report staticReport() {
        return STATIC_REPORTS.computeIfAbsent(this, f -> new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(f.binary(), new CheckRequest(ALL, true, ExecutionMode.STATIC)));
    }

    /** The engine's static result for one more expectation, in a run of its own. */
    public CheckResult checkStatic(Expectation expectation) {
        return result(new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(binary(), new CheckRequest(List.of(expectation), false, ExecutionMode.STATIC)), expectation);
    }

    /** The result for one expectation of a report. */
    public static CheckResult result(Report report, Expectation expectation) {
        return report.results().stream().filter(r -> r.expectation().equals(expectation)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + expectation + " in " + report));
    }

    /** {@code go tool nm}'s symbol of that name in {@link #truth()}. */
    public NmSymbol symbol(String name) {
        return nmAll().stream().filter(s -> s.name().equals(name)).reduce((a, b) -> {
            throw new AssertionError(name + " names several symbols in " + truth());
        }).orElseThrow(() -> new AssertionError("go tool nm lists no " + name + " in " + truth()));
    }

    public long address(String name) {
        return symbol(name).address();
    }

    /**
     * The name a reader of this binary can give the function nm calls {@code symtabName}: the same, or in a
     * stripped binary the .gopclntab name, where a body and its wrapper both lose the {@code .abi0} suffix.
     */
    public String functionName(String symtabName) {
        return variant.stripped() && symtabName.endsWith(".abi0")
                ? symtabName.substring(0, symtabName.length() - ".abi0".length()) : symtabName;
    }

    /** The text symbol that follows the function in address order: where its .gopclntab entry ends. */
    public NmSymbol nextFunction(String name) {
        NmSymbol function = symbol(name);
        return nmAll().stream()
                .filter(s -> Character.toUpperCase(s.type()) == 'T' && !s.name().isEmpty()
                        && s.address() > function.address())
                .findFirst().orElseThrow(() -> new AssertionError("no function after " + name));
    }

    /**
     * The body size a reader of this binary can know: nm's size, or in a stripped binary the .gopclntab
     * length, which runs to the next function (alignment padding included).
     */
    public long knownSize(String name) {
        return variant.stripped() ? nextFunction(name).address() - address(name) : symbol(name).size();
    }

    private List<NmSymbol> nmAll() {
        return NM.computeIfAbsent(truth(), ToolchainTruth::nmAll);
    }

    @Override
    public String toString() {
        return arch.goarch() + " " + variant.id();
    }
}
