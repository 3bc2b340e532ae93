package dev.verifarm.agent.check;

import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.EndRule;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.verifarm.agent.probe.NativeChecks;
import dev.verifarm.agent.probe.SandboxPolicy;
import dev.verifarm.agent.testing.ElfLayout;
import dev.verifarm.agent.testing.HonestVerdicts;
import dev.verifarm.agent.testing.Mutation;
import dev.verifarm.agent.testing.ScratchFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole engine on hostile files. It must never throw: the only outcomes are a report with an error, or
 * verdicts with reasons, and never a MATCH that does not rest on the original stub and body
 * ({@link HonestVerdicts}).
 *
 * <p>{@code mvn test} runs both targets in regression mode over the committed inputs in
 * {@code src/test/resources/dev/verifarm/agent/check/CheckEngineFuzzTestInputs/<method>/}: small prefixes and
 * compacted headers of the real fixtures for {@link #arbitraryFile}, and for {@link #mutatedFixture} the edit
 * scripts of every {@link MalformedElfTest} case ({@link Mutation} encoding), all written by
 * {@code SeedCorpusWriter}. To fuzz for real, one target per run:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=CheckEngineFuzzTest#mutatedFixture}.
 */
class CheckEngineFuzzTest {

    private static final CheckEngine ENGINE = new CheckEngine(new NativeChecks(SandboxPolicy.defaults()));
    private static final CheckRequest REQUEST = new CheckRequest(List.of(
            Expectation.resolve(ElfLayout.STUB, ElfLayout.TARGET),
            Expectation.resolve("main.addrOfWrong", ElfLayout.TARGET),
            Expectation.copy(ElfLayout.STUB, ElfLayout.TARGET, EndRule.pclntabEnd())), true, ExecutionMode.STATIC);
    private static final Path FILE = ScratchFiles.create("verifarm-fuzz");

    /** A file of the fuzzer's bytes: nothing in a few KB can be a stub that yields its target. */
    @FuzzTest(maxDuration = "5m")
    void arbitraryFile(byte[] data) throws IOException {
        Report report = ENGINE.check(Files.write(FILE, data), REQUEST);

        report.error().ifPresent(e -> assertTrue(!e.isBlank() && report.results().stream()
                .allMatch(r -> r.verdict() == Verdict.ERROR), "unreadable, yet: " + report.results()));
        for (CheckResult r : report.results()) {
            assertTrue(!r.reason().isBlank(), () -> r.verdict() + " without a reason");
            assertNotEquals(Verdict.MATCH, r.verdict(), r::reason);
        }
    }

    /** A real stubs fixture corrupted by the edits the input encodes ({@link Mutation.Script}). */
    @FuzzTest(maxDuration = "5m")
    void mutatedFixture(byte[] data) throws IOException {
        Mutation.Script script = Mutation.Script.decode(data);
        ElfLayout layout = ElfLayout.stubs(script.arch(), script.variant());
        byte[] mutated = Mutation.apply(layout, script.mutations());

        Report report = ENGINE.check(Files.write(FILE, mutated), REQUEST);

        List<String> dishonest = HonestVerdicts.violations(report, layout);
        assertTrue(dishonest.isEmpty(), () -> script + ": " + dishonest);
    }
}
