package dev.verifarm.agent.check.resolve;

import static dev.verifarm.agent.testing.ShapesFixture.BRANCHY_STUB;
import static dev.verifarm.agent.testing.ShapesFixture.CORRECT_STUBS;
import static dev.verifarm.agent.testing.ShapesFixture.WRONG_STUBS;
import static dev.verifarm.agent.testing.ShapesFixture.resolvesBody;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.check.vocabulary.Location;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.ShapesFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resolver stubs as people write them, checked statically: frames of 8, 16 and 200 bytes, with and without
 * NOSPLIT (so with and without the stack-split prologue), spilling through locals; built by Go 1.19 and 1.22,
 * amd64 and arm64, plain, stripped and PIE. The truth is what each stub returned when the program ran.
 */
class StubShapesTest {

    static Stream<ShapesFixture> fixtures() {
        return ShapesFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void stubsWithFramesYieldTheBody(ShapesFixture fixture) {
        assertAll(CORRECT_STUBS.stream().map(stub -> () -> {
            CheckResult r = fixture.result(ExecutionMode.STATIC, resolvesBody(stub));

            assertEquals(Verdict.MATCH, r.verdict(), stub + ": " + r.reason());
            assertEquals(fixture.yields().get(stub), resolved(r).address(), stub);
            assertEquals(fixture.address("main.body.abi0"), resolved(r).address(), stub);
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void wrongStubsWithFramesAreMismatchesNamingWhereTheyLead(ShapesFixture fixture) {
        String elsewhere = fixture.variant().stripped() ? "main.elsewhere" : "main.elsewhere.abi0";
        assertAll(WRONG_STUBS.stream().map(stub -> () -> {
            CheckResult r = fixture.result(ExecutionMode.STATIC, resolvesBody(stub));

            assertEquals(Verdict.MISMATCH, r.verdict(), stub + ": " + r.reason());
            assertEquals(fixture.yields().get(stub), resolved(r).address(), stub);
            assertEquals(elsewhere, resolved(r).symbol().orElseThrow().symbol(), stub);
            assertEquals(0, resolved(r).symbol().orElseThrow().offset(), stub);
            assertTrue(r.reason().contains(elsewhere), r.reason());
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aBranchBeforeTheReturnStaysUnresolvedAndIsNamed(ShapesFixture fixture) {
        CheckResult r = fixture.result(ExecutionMode.STATIC, resolvesBody(BRANCHY_STUB));

        assertEquals(Verdict.UNRESOLVED, r.verdict(), r.reason());
        assertTrue(r.reason().contains("control flow (" + (fixture.arch() == GoArch.AMD64 ? "jne" : "cbnz")),
                r.reason());
    }

    /** The evidence says what the walk followed: the split check, the frame, the local and the result slot. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theEvidenceShowsTheFrameTheWalkFollowed(ShapesFixture fixture) {
        CheckResult r = fixture.result(ExecutionMode.STATIC, resolvesBody("main.addrOfBodyFrame200"));
        List<String> walk = r.evidence().resolverCode().stream().map(DecodedInstruction::walk).toList();
        String body = "0x" + Long.toHexString(fixture.address("main.body.abi0"));
        String sp = fixture.arch() == GoArch.AMD64 ? "rsp" : "sp";

        assertAll(
                () -> assertTrue(walk.stream().anyMatch(w -> w.startsWith("stack-split check")), walk::toString),
                () -> assertTrue(walk.stream().anyMatch(w -> w.contains(sp + " = entry SP-0x")), walk::toString),
                () -> assertTrue(walk.stream().anyMatch(w -> w.contains("local at entry SP-0x") && w.contains(body)),
                        walk::toString),
                () -> assertTrue(walk.contains("ret+0(FP) = " + body), walk::toString),
                () -> assertTrue(r.reason().contains("past the stack-split check"), r.reason()));
    }

    private static Location resolved(CheckResult r) {
        return r.evidence().resolved().orElseThrow(() -> new AssertionError("nothing resolved: " + r.reason()));
    }
}
