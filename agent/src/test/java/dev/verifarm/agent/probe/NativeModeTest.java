package dev.verifarm.agent.probe;

import static dev.verifarm.agent.testing.StubsFixture.COPY_BODY;
import static dev.verifarm.agent.testing.StubsFixture.COPY_ESCAPING;
import static dev.verifarm.agent.testing.StubsFixture.COPY_WRAPPER;
import static dev.verifarm.agent.testing.StubsFixture.RESOLVE_FUNC_VALUE;
import static dev.verifarm.agent.testing.StubsFixture.RESOLVE_STUB;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckKind;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.NativeObservation;
import dev.verifarm.agent.check.vocabulary.TextComparison;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.DebianBinaries;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoFixtures;
import dev.verifarm.agent.testing.StubsFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Native mode: the fixture runs in probe mode in the sandbox (amd64 on this host, arm64 under qemu-user),
 * and what it reports, less the load bias, is judged against go tool nm. One probe run per fixture.
 */
class NativeModeTest {

    private static final Expectation NOT_REPORTED = Expectation.resolve("main.addrOfNothing", "main.memcpyish");
    private static final List<Expectation> EXPECTATIONS =
            List.of(RESOLVE_STUB, RESOLVE_FUNC_VALUE, COPY_BODY, COPY_WRAPPER, COPY_ESCAPING, NOT_REPORTED);
    private static final Map<StubsFixture, Report> REPORTS = new ConcurrentHashMap<>();

    static Stream<StubsFixture> fixtures() {
        return Stream.of(GoArch.values())
                .flatMap(a -> Stream.of(BuildVariant.DEFAULT, BuildVariant.PIE).map(v -> new StubsFixture(a, v)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void correctStubMatchesAtRunTime(StubsFixture fixture) {
        CheckResult r = result(fixture, RESOLVE_STUB);

        assertEquals(Verdict.MATCH, r.verdict(), r.reason());
        assertReported(fixture, r, "main.memcpyish.abi0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void funcValueIsTheWrapperAtRunTime(StubsFixture fixture) {
        CheckResult r = result(fixture, RESOLVE_FUNC_VALUE);

        assertEquals(Verdict.WRAPPER, r.verdict(), r.reason());
        assertReported(fixture, r, "main.memcpyish");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void copyOfTheBodyMatchesByTheBytesAtItsDestination(StubsFixture fixture) {
        CheckResult r = result(fixture, COPY_BODY);

        assertEquals(Verdict.MATCH, r.verdict(), r.reason());
        assertReported(fixture, r, "main.memcpyish.abi0");
        TextComparison text = r.evidence().text().orElseThrow();
        assertEquals(fixture.nextFunction("main.memcpyish.abi0").address(), text.end(),
                "the probe copies up to FindEndAddress, the next function");
        NativeObservation o = r.evidence().observation().orElseThrow();
        assertTrue(o.destination().isPresent(), "the copy's destination is reported");
        assertTrue(o.limitation().isEmpty() || !o.limitation().get().contains("could not be read"),
                "the destination bytes were read from the live process: " + o.limitation());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void copyOfTheWrapperIsWrapper(StubsFixture fixture) {
        CheckResult r = result(fixture, COPY_WRAPPER);

        assertEquals(Verdict.WRAPPER, r.verdict(), r.reason());
        assertReported(fixture, r, "main.memcpyish");
        assertTrue(r.evidence().escapes().stream()
                        .anyMatch(e -> e.target().address() == fixture.address("main.memcpyish.abi0")),
                "escapes through the call to the body: " + r.evidence().escapes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void escapingCopyIsNotRelocatable(StubsFixture fixture) {
        CheckResult r = result(fixture, COPY_ESCAPING);

        assertEquals(Verdict.NOT_RELOCATABLE, r.verdict(), r.reason());
        assertEquals(Set.of(fixture.address("main.helperLeaf.abi0"), fixture.address("main.table")),
                r.evidence().escapes().stream().map(e -> e.target().address()).collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void observationSaysWhetherItRanUnderEmulation(StubsFixture fixture) {
        NativeObservation o = result(fixture, RESOLVE_STUB).evidence().observation().orElseThrow();

        assertEquals(!fixture.arch().isHost(), o.emulated(), "emulated");
    }

    /** A PIE runs at a random bias on the host; a static executable at its link address everywhere. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void loadBiasIsZeroForStaticExecutablesAndRandomForHostPies(StubsFixture fixture) {
        NativeObservation o = result(fixture, RESOLVE_STUB).evidence().observation().orElseThrow();

        if (!fixture.variant().pie()) {
            assertEquals(0, o.loadBias());
        } else if (fixture.arch().isHost()) {
            assertNotEquals(0, o.loadBias());
        }
        assertEquals(fixture.address("main.memcpyish.abi0"), o.reportedAddress() - o.loadBias());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void resolverTheProbeDidNotReportIsUnresolvedNamingWhatItDid(StubsFixture fixture) {
        CheckResult r = result(fixture, NOT_REPORTED);

        assertEquals(Verdict.UNRESOLVED, r.verdict(), r.reason());
        assertAll(Stream.of("main.addrOfNothing", "main.addrOfMemcpyish", "main.addrOfWrong", "main.addrOfEscaping",
                "funcvalue:main.memcpyish").map(name -> () -> assertTrue(r.reason().contains(name), r.reason())));
    }

    /** age-keygen, a real Go program that knows nothing of probes, run with VERIFARM_PROBE=1. */
    @Test
    void programThatDoesNotSpeakTheProtocolIsAnError() {
        GoArch host = GoArch.host().orElseThrow();
        Path ageKeygen = DebianBinaries.get("age", host.goarch(), "usr/bin/age-keygen");
        Report report = nativeCheck(ageKeygen, List.of(RESOLVE_STUB, COPY_BODY));

        assertEquals(2, report.results().size());
        assertAll(report.results().stream().map(r -> () -> {
            assertEquals(Verdict.ERROR, r.verdict(), r.reason());
            assertTrue(r.reason().contains("does not speak the probe protocol"), r.reason());
        }));
    }

    /** plain speaks the protocol but resolves nothing; its {@code verifarm net} lines are no problem. */
    @Test
    void programThatReportsNoResolverLeavesExpectationsUnresolved() {
        GoArch host = GoArch.host().orElseThrow();
        Expectation mainMain = Expectation.resolve("funcvalue:main.main", "main.main");
        CheckResult r = StubsFixture.result(
                nativeCheck(GoFixtures.build("plain", host, BuildVariant.DEFAULT), List.of(mainMain)), mainMain);

        assertEquals(Verdict.UNRESOLVED, r.verdict(), r.reason());
        assertTrue(r.reason().contains("it reported []"), r.reason());
        assertFalse(r.reason().contains("problem"), r.reason());
    }

    /** The reported runtime address, less the load bias, is nm's address of {@code symbol}. */
    private static void assertReported(StubsFixture fixture, CheckResult r, String symbol) {
        NativeObservation o = r.evidence().observation().orElseThrow(() -> new AssertionError("no observation"));
        assertEquals(fixture.address(symbol), o.reportedAddress() - o.loadBias(), "reported address less the bias");
        assertEquals(fixture.address(symbol), r.evidence().resolved().orElseThrow().address(), "resolved address");
        assertEquals(r.expectation().kind() == CheckKind.COPY, o.destination().isPresent());
    }

    private static CheckResult result(StubsFixture fixture, Expectation expectation) {
        Report report = REPORTS.computeIfAbsent(fixture, f -> nativeCheck(f.binary(), EXPECTATIONS));
        return StubsFixture.result(report, expectation);
    }

    private static Report nativeCheck(Path binary, List<Expectation> expectations) {
        return new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(binary, new CheckRequest(expectations, false, ExecutionMode.NATIVE));
    }
}
