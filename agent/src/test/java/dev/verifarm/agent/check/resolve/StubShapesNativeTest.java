package dev.verifarm.agent.check.resolve;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verifarm.agent.check.ExecutionMode;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.testing.ShapesFixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shapes fixture in native mode (amd64 on this host, arm64 under qemu-user), plain, stripped and PIE, Go 1.19
 * and 1.22: what the running program reports for each framed stub and data word (one filled only at run time, with
 * the ABI wrapper), less the load bias, is the address it printed when run on its own, judged against nm; and
 * wherever the static walk gives a verdict, it is the same one.
 */
class StubShapesNativeTest {

    static Stream<ShapesFixture> fixtures() {
        return ShapesFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void atRunTimeEveryResolverYieldsWhatTheProgramPrintsAndTheWalkAgrees(ShapesFixture fixture) {
        long body = fixture.address("main.body.abi0");
        long wrapper = fixture.address("main.body");
        assertAll(ShapesFixture.ALL.stream()
                .filter(e -> !e.resolver().equals(ShapesFixture.BRANCHY_STUB))
                .map(e -> () -> {
                    long printed = fixture.yields().get(e.resolver());
                    Verdict truth = printed == body ? Verdict.MATCH
                            : printed == wrapper ? Verdict.WRAPPER : Verdict.MISMATCH;
                    CheckResult running = fixture.result(ExecutionMode.NATIVE, e);
                    CheckResult walked = fixture.result(ExecutionMode.STATIC, e);

                    assertEquals(truth, running.verdict(), e.resolver() + ": " + running.reason());
                    assertEquals(printed, observed(running), e.resolver());
                    // where the walk cannot judge (data: when stripped, a word filled at run time), native mode does
                    if (walked.verdict() != Verdict.ERROR && walked.verdict() != Verdict.UNRESOLVED) {
                        assertEquals(truth, walked.verdict(), e.resolver() + ": " + walked.reason());
                    }
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
    private static long observed(CheckResult r) {
        return r.evidence().resolved().orElseThrow(() -> new AssertionError(r.reason())).address();
    }
}
