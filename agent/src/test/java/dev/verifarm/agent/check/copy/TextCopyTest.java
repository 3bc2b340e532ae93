package dev.verifarm.agent.check.copy;

import static dev.verifarm.agent.testing.StubsFixture.COPY_BODY;
import static dev.verifarm.agent.testing.StubsFixture.COPY_BODY_SYMBOL_SIZE;
import static dev.verifarm.agent.testing.StubsFixture.COPY_ESCAPING;
import static dev.verifarm.agent.testing.StubsFixture.COPY_ESCAPING_SYMBOL_SIZE;
import static dev.verifarm.agent.testing.StubsFixture.COPY_WRAPPER;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.EndRule;
import dev.verifarm.agent.check.vocabulary.EscapingReference;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.TextComparison;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.symbols.SymbolOffset;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.agent.testing.ToolchainTruth.ObjdumpLine;
import dev.verifarm.agent.testing.ToolchainTruth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Static text-copy checks on every architecture and build variant, judged against go tool nm and objdump. */
class TextCopyTest {

    private static final Expectation COPY_OF_OTHER_FUNCTION =
            Expectation.copy("main.addrOfWrong", "main.memcpyish", EndRule.pclntabEnd());
    private static final Expectation COPY_TO_ITS_OWN_START =
            Expectation.copy("main.addrOfMemcpyish", "main.memcpyish", EndRule.endSymbol("main.memcpyish.abi0"));
    private static final Map<StubsFixture, Report> EXTRA = new ConcurrentHashMap<>();

    static Stream<StubsFixture> fixtures() {
        return StubsFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bodyCopyToThePclntabEndMatches(StubsFixture fixture) {
        CheckResult r = StubsFixture.result(fixture.staticReport(), COPY_BODY);

        assertEquals(Verdict.MATCH, r.verdict(), r.reason());
        assertCopied(fixture, r, fixture.nextFunction("main.memcpyish.abi0").address());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bodyCopyOfTheSymbolSizeMatches(StubsFixture fixture) {
        CheckResult r = StubsFixture.result(fixture.staticReport(), COPY_BODY_SYMBOL_SIZE);

        assertEquals(Verdict.MATCH, r.verdict(), r.reason());
        assertCopied(fixture, r, fixture.address("main.memcpyish.abi0") + fixture.knownSize("main.memcpyish.abi0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bodyCopyUpToTheNextSymbolMatches(StubsFixture fixture) {
        String next = fixture.nextFunction("main.memcpyish.abi0").name();
        Expectation upToNext = Expectation.copy("main.addrOfMemcpyish", "main.memcpyish", EndRule.endSymbol(next));
        CheckResult r = fixture.checkStatic(upToNext);

        assertEquals(Verdict.MATCH, r.verdict(), r.reason());
        assertCopied(fixture, r, fixture.address(next));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void wrapperCopyIsWrapperAndEscapesThroughItsCallToTheBody(StubsFixture fixture) {
        CheckResult r = StubsFixture.result(fixture.staticReport(), COPY_WRAPPER);
        ObjdumpLine call = line(fixture, "main.memcpyish", "CALL main.memcpyish.abi0(SB)");

        assertEquals(Verdict.WRAPPER, r.verdict(), r.reason());
        assertEquals(fixture.address("main.memcpyish"), r.evidence().resolved().orElseThrow().address(), "copy begins");
        EscapingReference escape = escapeAt(r, call.address());
        assertAll(
                () -> assertEquals(call.hex(), escape.instruction().bytes(), "the call's bytes"),
                () -> assertEquals(call.address() - fixture.address("main.memcpyish"), escape.offset(), "offset"),
                () -> assertEquals(fixture.address("main.memcpyish.abi0"), escape.target().address(), "call target"),
                () -> assertEquals(Optional.of(new SymbolOffset(fixture.functionName("main.memcpyish.abi0"), 0)),
                        escape.target().symbol()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void escapingCopyIsNotRelocatableAndNamesItsCallAndData(StubsFixture fixture) {
        assertNotRelocatable(fixture, StubsFixture.result(fixture.staticReport(), COPY_ESCAPING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void escapingCopyOfTheSymbolSizeIsNotRelocatableEither(StubsFixture fixture) {
        assertNotRelocatable(fixture, StubsFixture.result(fixture.staticReport(), COPY_ESCAPING_SYMBOL_SIZE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void copyThatBeginsAtAnotherFunctionIsMismatch(StubsFixture fixture) {
        CheckResult r = extra(fixture, COPY_OF_OTHER_FUNCTION);

        assertEquals(Verdict.MISMATCH, r.verdict(), r.reason());
        assertEquals(fixture.address("main.otherLeaf.abi0"), r.evidence().resolved().orElseThrow().address());
        assertTrue(r.reason().contains(fixture.functionName("main.otherLeaf.abi0")), r.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void endRuleThatGivesAnEmptyRangeIsAnError(StubsFixture fixture) {
        CheckResult r = extra(fixture, COPY_TO_ITS_OWN_START);

        assertEquals(Verdict.ERROR, r.verdict(), r.reason());
        assertTrue(r.reason().contains("empty"), r.reason());
    }

    /** The copy begins at the body, ends at {@code end}, and holds the body's text then clean padding. */
    private static void assertCopied(StubsFixture fixture, CheckResult r, long end) {
        long body = fixture.address("main.memcpyish.abi0");
        long size = fixture.knownSize("main.memcpyish.abi0");
        TextComparison text = r.evidence().text().orElseThrow(() -> new AssertionError("no text comparison"));
        assertAll(
                () -> assertEquals(body, r.evidence().resolved().orElseThrow().address(), "copy begins at the body"),
                () -> assertEquals(body, text.begin(), "begin"),
                () -> assertEquals(end, text.end(), "end"),
                () -> assertEquals(size, text.bodySize(), "body size"),
                () -> assertEquals(OptionalLong.empty(), text.firstDifference(), "first difference"),
                () -> assertEquals(end - body - size, text.paddingBytes(), "padding bytes"),
                () -> assertTrue(text.paddingClean(), "padding is clean"),
                () -> assertEquals(List.of(), r.evidence().escapes(), "escapes"));
    }

    private static void assertNotRelocatable(StubsFixture fixture, CheckResult r) {
        assertEquals(Verdict.NOT_RELOCATABLE, r.verdict(), r.reason());
        long helper = fixture.address("main.helperLeaf.abi0");
        long table = fixture.address("main.table");
        Set<Long> targets = r.evidence().escapes().stream().map(e -> e.target().address()).collect(Collectors.toSet());
        assertEquals(Set.of(helper, table), targets, "escape targets: " + r.evidence().escapes());

        ObjdumpLine call = line(fixture, "main.escaping.abi0", "CALL main.helperLeaf.abi0(SB)");
        EscapingReference escape = escapeAt(r, call.address());
        assertEquals(helper, escape.target().address());
        assertEquals(Optional.of(new SymbolOffset(fixture.functionName("main.helperLeaf.abi0"), 0)),
                escape.target().symbol());
        assertTrue(r.reason().contains(fixture.functionName("main.helperLeaf.abi0")), r.reason());
        if (!fixture.variant().stripped()) {
            assertTrue(r.evidence().escapes().stream()
                    .filter(e -> e.target().address() == table)
                    .allMatch(e -> e.target().symbol().equals(Optional.of(new SymbolOffset("main.table", 0)))),
                    "data references name main.table: " + r.evidence().escapes());
            assertTrue(r.reason().contains("main.table"), r.reason());
        }
    }

    private static ObjdumpLine line(StubsFixture fixture, String function, String text) {
        return ToolchainTruth.objdumpFunction(fixture.truth(), function).stream()
                .filter(l -> l.text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("objdump shows no '" + text + "' in " + function));
    }

    private static EscapingReference escapeAt(CheckResult r, long address) {
        return r.evidence().escapes().stream().filter(e -> e.instruction().address() == address).findFirst()
                .orElseThrow(() -> new AssertionError("no escaping reference at 0x" + Long.toHexString(address)
                        + ": " + r.evidence().escapes()));
    }

    private static CheckResult extra(StubsFixture fixture, Expectation expectation) {
        Report report = EXTRA.computeIfAbsent(fixture, f -> new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(f.binary(), new CheckRequest(List.of(COPY_OF_OTHER_FUNCTION, COPY_TO_ITS_OWN_START), false,
                        ExecutionMode.STATIC)));
        return StubsFixture.result(report, expectation);
    }

}
