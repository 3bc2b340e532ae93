package dev.verifarm.agent.check.resolve;

import static dev.verifarm.agent.testing.StubsFixture.RESOLVE_FUNC_VALUE;
import static dev.verifarm.agent.testing.StubsFixture.RESOLVE_STUB;
import static dev.verifarm.agent.testing.StubsFixture.RESOLVE_WRONG_STUB;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.TargetInfo;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.symbols.SymbolOffset;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.agent.testing.ToolchainTruth.ObjdumpLine;
import dev.verifarm.agent.testing.ToolchainTruth;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Static stub resolution on every architecture and build variant, judged against go tool nm and objdump. */
class StubResolutionTest {

    static Stream<StubsFixture> fixtures() {
        return StubsFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void correctStubMatchesAtTheBodyAddress(StubsFixture fixture) {
        CheckResult r = StubsFixture.result(fixture.staticReport(), RESOLVE_STUB);

        assertEquals(Verdict.MATCH, r.verdict(), r.reason());
        assertResolvedTo(fixture, r, "main.memcpyish.abi0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void correctStubEvidenceIsTheStubCodeAsObjdumpDecodesIt(StubsFixture fixture) {
        CheckResult r = StubsFixture.result(fixture.staticReport(), RESOLVE_STUB);
        List<ObjdumpLine> stub = ToolchainTruth.objdumpFunction(fixture.truth(), "main.addrOfMemcpyish.abi0");

        List<DecodedInstruction> code = r.evidence().resolverCode();
        assertEquals(stub.size(), code.size(), "instructions up to the RET: " + code);
        for (int i = 0; i < stub.size(); i++) {
            assertEquals(stub.get(i).address(), code.get(i).address(), "address of instruction " + i);
            assertEquals(stub.get(i).hex(), code.get(i).bytes(), "bytes of instruction " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void wrongStubIsMismatchNamingWhatItYields(StubsFixture fixture) {
        CheckResult r = StubsFixture.result(fixture.staticReport(), RESOLVE_WRONG_STUB);

        assertEquals(Verdict.MISMATCH, r.verdict(), r.reason());
        assertResolvedTo(fixture, r, "main.otherLeaf.abi0");
        assertTrue(r.reason().contains(fixture.functionName("main.otherLeaf.abi0")), r.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void funcValueIsTheWrapper(StubsFixture fixture) {
        CheckResult r = StubsFixture.result(fixture.staticReport(), RESOLVE_FUNC_VALUE);

        assertEquals(Verdict.WRAPPER, r.verdict(), r.reason());
        assertResolvedTo(fixture, r, "main.memcpyish");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void targetEvidenceGivesBodyAndWrapperAsNmDoes(StubsFixture fixture) {
        TargetInfo t = StubsFixture.result(fixture.staticReport(), RESOLVE_STUB).evidence().target().orElseThrow();

        assertAll(
                () -> assertEquals(fixture.functionName("main.memcpyish.abi0"), t.body()),
                () -> assertEquals(fixture.address("main.memcpyish.abi0"), t.bodyAddress(), "body address"),
                () -> assertEquals(fixture.knownSize("main.memcpyish.abi0"), t.bodySize(), "body size"),
                () -> assertEquals(fixture.nextFunction("main.memcpyish.abi0").address(), t.pclntabEnd().orElseThrow(),
                        "pclntab end: the next function's address"),
                () -> assertEquals(Optional.of(fixture.address("main.memcpyish")), t.wrapperAddress(), "wrapper"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void symbolResolverYieldsThatSymbol(StubsFixture fixture) {
        CheckResult r = fixture.checkStatic(Expectation.resolve("symbol:main.memcpyish.abi0", "main.memcpyish"));

        assertEquals(Verdict.MATCH, r.verdict(), r.reason());
        assertResolvedTo(fixture, r, "main.memcpyish.abi0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void targetThatDoesNotExistIsAnErrorNamingIt(StubsFixture fixture) {
        CheckResult r = fixture.checkStatic(Expectation.resolve("main.addrOfMemcpyish", "main.noSuchFunction"));

        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.reason().contains("no function named main.noSuchFunction in "
                + (fixture.variant().stripped() ? ".gopclntab" : ".symtab or .gopclntab")), r.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void resolverThatDoesNotExistIsUnresolvedNamingIt(StubsFixture fixture) {
        CheckResult r = fixture.checkStatic(Expectation.resolve("main.addrOfNothing", "main.memcpyish"));

        assertEquals(Verdict.UNRESOLVED, r.verdict());
        assertTrue(r.reason().contains("main.addrOfNothing"), r.reason());
    }

    /** The evidence's resolved location is nm's address of {@code symtabName}, named as this binary can name it. */
    private static void assertResolvedTo(StubsFixture fixture, CheckResult r, String symtabName) {
        Location resolved = r.evidence().resolved().orElseThrow(() -> new AssertionError("no resolved location"));
        assertEquals(fixture.address(symtabName), resolved.address(), "resolved address of " + symtabName);
        assertEquals(Optional.of(new SymbolOffset(fixture.functionName(symtabName), 0)), resolved.symbol());
    }

}
