package dev.verifarm.agent.check.resolve;

import static dev.verifarm.agent.testing.ShapesFixture.DATA_WORDS;
import static dev.verifarm.agent.testing.ShapesFixture.resolvesBody;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.CheckEngine;
import dev.verifarm.agent.check.CheckRequest;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.DataWordPointer;
import dev.verifarm.agent.check.vocabulary.Discovery;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.ShapesFixture;
import dev.verifarm.agent.testing.StubsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code data:NAME} resolvers and the data words discovery suggests, on the shapes fixture's assembly data words:
 * statically, for every toolchain, architecture and variant, judged against nm and what the running program read.
 */
class DataWordResolverTest {

    static Stream<ShapesFixture> fixtures() {
        return ShapesFixture.all();
    }

    static Stream<ShapesFixture> unstripped() {
        return ShapesFixture.all().filter(f -> !f.variant().stripped());
    }

    static Stream<ShapesFixture> stripped() {
        return ShapesFixture.all().filter(f -> f.variant().stripped());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unstripped")
    void aDataWordIsJudgedByTheAddressItHolds(ShapesFixture fixture) {
        assertAll(DATA_WORDS.entrySet().stream().map(word -> () -> {
            CheckResult r = fixture.result(ExecutionMode.STATIC, resolvesBody("data:" + word.getKey()));
            long held = fixture.yields().get("data:" + word.getKey());
            long body = fixture.address("main.body.abi0");

            assertEquals(held == body ? Verdict.MATCH : Verdict.MISMATCH, r.verdict(), word + ": " + r.reason());
            assertEquals(held, r.evidence().resolved().orElseThrow().address(), word.getKey());
            assertEquals(held - fixture.address(word.getValue()),
                    r.evidence().resolved().orElseThrow().symbol().orElseThrow().offset(), word.getKey());
            assertEquals(word.getValue(), r.evidence().resolved().orElseThrow().symbol().orElseThrow().symbol());
        }));
    }

    /** A word in .noptrbss holds nothing in the file: static mode says so and points at native mode. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unstripped")
    void aWordOnlyTheRunningProgramFillsIsUnresolvedStaticallyAndSaysWhy(ShapesFixture fixture) {
        CheckResult r = fixture.result(ExecutionMode.STATIC, resolvesBody("data:" + ShapesFixture.RUN_TIME_WORD));

        assertEquals(Verdict.UNRESOLVED, r.verdict(), r.reason());
        assertTrue(r.reason().contains("set at run time") && r.reason().contains("native mode"), r.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stripped")
    void aStrippedBinaryHasNoDataSymbolToResolveAndSaysSo(ShapesFixture fixture) {
        CheckResult r = fixture.result(ExecutionMode.STATIC, resolvesBody("data:main.bodyAddr"));

        assertEquals(Verdict.ERROR, r.verdict(), r.reason());
        assertTrue(r.reason().contains("no data symbol has a name"), r.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unstripped")
    void discoverySuggestsEveryNamedWordThatHoldsAFunctionEntry(ShapesFixture fixture) {
        Discovery d = fixture.report(ExecutionMode.STATIC).discovery().orElseThrow();
        Map<String, DataWordPointer> named = d.dataWords().stream().filter(w -> w.name().isPresent())
                .collect(Collectors.toMap(w -> w.name().get(), w -> w));

        assertAll(
                () -> assertEquals(Optional.of("data:main.bodyAddr=main.body"), named.get("main.bodyAddr").suggestion()),
                () -> assertEquals(Optional.of("data:main.bodyAddrNoptr=main.body"),
                        named.get("main.bodyAddrNoptr").suggestion()),
                () -> assertEquals(Optional.of("data:main.elsewhereAddr=main.elsewhere"),
                        named.get("main.elsewhereAddr").suggestion()),
                () -> assertEquals(fixture.address("main.bodyAddr"), named.get("main.bodyAddr").address()),
                // 4 bytes into the body is no function entry, so no suggestion is made for it
                () -> assertTrue(!named.containsKey("main.insideAddr"), named.keySet()::toString));
    }

    /**
     * A data section the file misplaces ends the data: check UNRESOLVED naming the offset, never an exception or a
     * MATCH; the stub checks of the same report stand, and discovery lists no word it could not read.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unstripped")
    void aMisplacedDataSectionIsNamedAndCostsOnlyTheDataWordCheck(ShapesFixture fixture, @TempDir Path dir)
            throws Exception {
        Path hostile = Files.write(dir.resolve("hostile"),
                fixture.withSectionAddress(".noptrdata", 0xffff_ffff_ffff_f000L).getKey());
        Expectation word = resolvesBody("data:main.bodyAddrNoptr");
        Expectation stub = resolvesBody("main.addrOfBodyFrame200");

        Report report = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()))
                .check(hostile, new CheckRequest(List.of(word, stub), true, ExecutionMode.STATIC));

        CheckResult r = StubsFixture.result(report, word);
        assertEquals(Verdict.UNRESOLVED, r.verdict(), r.reason());
        assertTrue(r.reason().contains("malformed ELF at offset 0x") && r.reason().contains(".noptrdata"), r.reason());
        assertEquals(Verdict.MATCH, StubsFixture.result(report, stub).verdict());
        assertEquals(List.of(), report.discovery().orElseThrow().dataWords());
    }

    /** Without names, discovery still lists the words by address: the func value word holding the wrapper, say. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void discoveryListsTheWordsByAddressInEveryVariant(ShapesFixture fixture) {
        List<DataWordPointer> words = fixture.report(ExecutionMode.STATIC).discovery().orElseThrow().dataWords();

        assertAll(Stream.of("main.bodyAddr", "main.bodyAddrNoptr", "main.elsewhereAddr")
                .map(name -> () -> assertTrue(words.stream().anyMatch(w -> w.address() == fixture.address(name)),
                        name + " at 0x" + Long.toHexString(fixture.address(name)))));
        assertTrue(words.stream().anyMatch(w -> w.yields().address() == fixture.address("main.body")),
                "a func value word holds the wrapper main.body");
    }
}
