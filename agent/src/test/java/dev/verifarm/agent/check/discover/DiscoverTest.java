package dev.verifarm.agent.check.discover;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.ResolverStub;
import dev.verifarm.agent.check.vocabulary.WrapperPair;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.DebianGoBinary;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.agent.testing.ToolchainTruth.NmSymbol;
import dev.verifarm.agent.testing.ToolchainTruth.Section;
import dev.verifarm.agent.testing.ToolchainTruth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Discovery lists the ABI wrappers and resolver stubs that go tool nm shows, on every variant. */
class DiscoverTest {

    private static final List<String> MAIN_WRAPPED = List.of("main.escaping", "main.memcpyish", "main.otherLeaf");
    private static final Map<String, String> MAIN_STUBS = Map.of(
            "main.addrOfMemcpyish.abi0", "main.memcpyish.abi0",
            "main.addrOfWrong.abi0", "main.otherLeaf.abi0",
            "main.addrOfEscaping.abi0", "main.escaping.abi0");

    static Stream<StubsFixture> fixtures() {
        return StubsFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void listsTheThreeMainWrappersBesideTheirBodies(StubsFixture fixture) {
        List<WrapperPair> main = discovery(fixture).wrappers().stream().filter(w -> w.name().startsWith("main."))
                .toList();

        assertEquals(MAIN_WRAPPED, main.stream().map(WrapperPair::name).toList());
        assertAll(main.stream().map(w -> () -> {
            assertEquals(fixture.address(w.name() + ".abi0"), w.body().address(), w.name() + " body");
            assertEquals(fixture.address(w.name()), w.wrapper().address(), w.name() + " wrapper");
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void listsTheThreeResolverStubsWithWhatTheyYield(StubsFixture fixture) {
        List<ResolverStub> main = discovery(fixture).stubs().stream().filter(s -> s.name().startsWith("main."))
                .toList();

        assertEquals(MAIN_STUBS.keySet().stream().map(fixture::functionName).collect(Collectors.toSet()),
                main.stream().map(ResolverStub::name).collect(Collectors.toSet()));
        assertAll(MAIN_STUBS.entrySet().stream().map(e -> () -> {
            ResolverStub stub = main.stream().filter(s -> s.name().equals(fixture.functionName(e.getKey())))
                    .findFirst().orElseThrow();
            assertEquals(fixture.address(e.getKey()), stub.address(), stub.name() + " address");
            assertEquals(fixture.address(e.getValue()), stub.yields().address(), stub.name() + " yields");
        }));
    }

    /**
     * Every name nm lists both as {@code X} and {@code X.abi0} is a pair, whichever of the two is the body
     * (an assembly function's ABIInternal wrapper, or a Go function's ABI0 wrapper); a stripped binary
     * yields the same pairs from .gopclntab alone.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void listsEveryPairThatNmShows(StubsFixture fixture) {
        Map<String, NmSymbol> nm = ToolchainTruth.nm(fixture.truth());
        Set<String> pairs = ToolchainTruth.abiPairs(fixture.truth());
        List<WrapperPair> wrappers = discovery(fixture).wrappers();

        assertEquals(pairs, wrappers.stream().map(WrapperPair::name).collect(Collectors.toCollection(TreeSet::new)));
        assertAll(wrappers.stream().map(w -> () -> assertEquals(
                Set.of(nm.get(w.name()).address(), nm.get(w.name() + ".abi0").address()),
                Set.of(w.body().address(), w.wrapper().address()), w.name())));
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void programWithoutAssemblyHasNoMainWrappersOrStubs(GoArch arch) {
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults())).check(
                GoFixtures.build("plain", arch, BuildVariant.DEFAULT), new CheckRequest(List.of(), true, ExecutionMode.STATIC));
        Discovery d = report.discovery().orElseThrow();

        assertEquals(List.of(), d.wrappers().stream().filter(w -> w.name().startsWith("main.")).toList());
        assertEquals(List.of(), d.stubs().stream().filter(s -> s.name().startsWith("main.")).toList());
    }

    /** runc (cgo) and age (an externally linked PIE), whose executable segment also maps .rodata. */
    static Stream<DebianGoBinary> externallyLinked() {
        return DebianGoBinary.all().filter(b -> b.pkg().equals("runc") || b.file().equals("usr/bin/age"));
    }

    /**
     * A stub yields code: an address inside a section readelf flags X, not merely inside the executable segment,
     * which in externally linked binaries also holds .rodata.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("externallyLinked")
    void stubsOfExternallyLinkedBinariesYieldCodeNotData(DebianGoBinary binary) {
        List<Section> code = ToolchainTruth.sections(binary.path()).stream().filter(Section::executable).toList();
        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(binary.path(), new CheckRequest(List.of(), true, ExecutionMode.STATIC));

        assertAll(report.discovery().orElseThrow().stubs().stream().map(s -> () -> assertTrue(
                code.stream().anyMatch(c -> c.contains(s.yields().address())),
                s.name() + " yields " + s.yields() + ", outside " + code.stream().map(Section::name).toList())));
    }

    private static Discovery discovery(StubsFixture fixture) {
        return fixture.staticReport().discovery().orElseThrow(() -> new AssertionError("no discovery in the report"));
    }
}
