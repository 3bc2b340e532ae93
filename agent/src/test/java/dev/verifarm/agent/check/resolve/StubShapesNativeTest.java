package dev.verifarm.agent.check.resolve;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verifarm.agent.check.CheckResult;
import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.Expectation;
import dev.verifarm.agent.check.Verdict;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.ShapesFixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shapes fixture in native mode (amd64 on this host, arm64 under qemu-user), plain and PIE, Go 1.19 and 1.22:
 * what the running program reports for each framed stub and data word, less the load bias, gets the verdict the
 * static walk gives, and both agree with nm.
 */
class StubShapesNativeTest {

    static Stream<ShapesFixture> fixtures() {
        return ShapesFixture.all().filter(f -> f.variant() == BuildVariant.DEFAULT || f.variant() == BuildVariant.PIE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void atRunTimeEveryResolverYieldsWhatTheStaticWalkSays(ShapesFixture fixture) {
        assertAll(ShapesFixture.ALL.stream()
                .filter(e -> !e.resolver().equals(ShapesFixture.BRANCHY_STUB))
                .map(e -> () -> {
                    CheckResult running = fixture.result(ExecutionMode.NATIVE, e);
                    CheckResult walked = fixture.result(ExecutionMode.STATIC, e);

                    assertEquals(walked.verdict(), running.verdict(), e.resolver() + ": " + running.reason());
                    assertEquals(fixture.yields().get(e.resolver()), observed(running, fixture), e.resolver());
                }));
    }

    /** A branchy stub the walk leaves unresolved still has a verdict at run time: its branch is taken. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aStubTheWalkCannotFollowIsJudgedAtRunTime(ShapesFixture fixture) {
        Expectation branchy = ShapesFixture.resolvesBody(ShapesFixture.BRANCHY_STUB);
        CheckResult running = fixture.result(ExecutionMode.NATIVE, branchy);

        assertEquals(Verdict.MATCH, running.verdict(), running.reason());
        assertEquals(Verdict.UNRESOLVED, fixture.result(ExecutionMode.STATIC, branchy).verdict());
    }

    /** The run-time address less the load bias: the link-time address the agent judged. */
    private static long observed(CheckResult r, ShapesFixture fixture) {
        return r.evidence().resolved().orElseThrow(() -> new AssertionError(r.reason())).address();
    }
}
