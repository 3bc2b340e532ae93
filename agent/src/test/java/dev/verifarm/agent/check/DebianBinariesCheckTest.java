package dev.verifarm.agent.check;

import dev.verifarm.agent.check.artifact.ArtifactInfo;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.EndRule;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.TargetInfo;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.check.vocabulary.WrapperPair;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.DebianGoBinary;
import dev.verifarm.agent.testing.GoFixtures;
import dev.verifarm.agent.testing.GoSymTable;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.agent.testing.ToolchainTruth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine on Debian's stripped Go executables (shfmt, runc, age-keygen, age; amd64 and arm64): it reads
 * every pclntab layout, finds the runtime's ABI wrappers, and tells the wrapper of an assembly function
 * from its body.
 */
class DebianBinariesCheckTest {

    /** runtime.reflectcall is assembly whose value the runtime takes: every Go 1.19 program has its wrapper. */
    private static final String ASM_FUNCTION = "runtime.reflectcall";
    private static final Expectation FUNC_VALUE = Expectation.resolve("funcvalue:" + ASM_FUNCTION, ASM_FUNCTION);
    private static final Expectation BODY = Expectation.resolve("symbol:" + ASM_FUNCTION, ASM_FUNCTION);
    private static final Expectation WRAPPER_COPY =
            Expectation.copy("funcvalue:" + ASM_FUNCTION, ASM_FUNCTION, EndRule.pclntabEnd());
    private static final Map<DebianGoBinary, Report> REPORTS = new ConcurrentHashMap<>();

    static Stream<DebianGoBinary> binaries() {
        return DebianGoBinary.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void readsItAsAStrippedGoExecutableOfItsArchitecture(DebianGoBinary binary) {
        Report report = report(binary);

        assertEquals(java.util.Optional.empty(), report.error());
        ArtifactInfo info = report.artifact().orElseThrow();
        assertAll(
                () -> assertEquals(binary.arch().goarch(), info.architecture()),
                () -> assertEquals(ToolchainTruth.elfHeader(binary.path()).get("Type").startsWith("DYN"), info.pie()),
                () -> assertTrue(info.stripped(), "stripped"),
                () -> assertTrue(info.goVersion().orElseThrow().startsWith("go1."), "go version " + info.goVersion()));
    }

    /** The pairs nm shows for runtime functions in a Go program of the same toolchain, found from .gopclntab. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void discoveryFindsTheRuntimesAbiWrappers(DebianGoBinary binary) {
        Set<String> runtimePairs = ToolchainTruth.abiPairs(GoFixtures.build("plain", binary.arch(), BuildVariant.DEFAULT))
                .stream().filter(n -> n.startsWith("runtime.")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> discovered = report(binary).discovery().orElseThrow().wrappers().stream()
                .map(WrapperPair::name).collect(Collectors.toSet());

        assertTrue(runtimePairs.contains(ASM_FUNCTION), "nm pairs of plain: " + runtimePairs);
        assertEquals(Set.of(), runtimePairs.stream().filter(n -> !discovered.contains(n)).collect(Collectors.toSet()),
                "runtime pairs not discovered");
    }

    /**
     * debug/gosym lists the name twice; body and wrapper are those two entries (the same distance apart) and
     * the wrapper's copy escapes through its call to the body.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void funcValueOfAnAssemblyFunctionIsItsWrapperAndTheSymbolItsBody(DebianGoBinary binary) {
        Report report = report(binary);
        CheckResult funcValue = StubsFixture.result(report, FUNC_VALUE);
        CheckResult body = StubsFixture.result(report, BODY);
        CheckResult copy = StubsFixture.result(report, WRAPPER_COPY);

        assertEquals(Verdict.WRAPPER, funcValue.verdict(), funcValue.reason());
        assertEquals(Verdict.MATCH, body.verdict(), body.reason());
        assertEquals(Verdict.WRAPPER, copy.verdict(), copy.reason());
        TargetInfo target = body.evidence().target().orElseThrow();
        long wrapper = target.wrapperAddress().orElseThrow();
        List<Long> gosym = GoSymTable.functions(binary.path()).stream().filter(f -> f.name().equals(ASM_FUNCTION))
                .map(GoSymTable.Function::entryOffset).toList();
        assertEquals(2, gosym.size(), "debug/gosym entries named " + ASM_FUNCTION);
        assertEquals(Math.abs(gosym.get(1) - gosym.get(0)), Math.abs(wrapper - target.bodyAddress()),
                "distance between body and wrapper");
        assertTrue(copy.evidence().escapes().stream().anyMatch(e -> e.target().address() == target.bodyAddress()),
                "the wrapper's copy escapes to the body: " + copy.evidence().escapes());
    }

    private static Report report(DebianGoBinary binary) {
        return REPORTS.computeIfAbsent(binary, b -> new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(b.path(), new CheckRequest(List.of(FUNC_VALUE, BODY, WRAPPER_COPY), true, ExecutionMode.STATIC)));
    }
}
