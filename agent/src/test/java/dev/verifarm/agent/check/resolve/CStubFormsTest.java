package dev.verifarm.agent.check.resolve;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.CheckResult;
import dev.verifarm.agent.check.vocabulary.Expectation;
import dev.verifarm.agent.check.vocabulary.Verdict;
import dev.verifarm.agent.testing.CStubForm;
import dev.verifarm.agent.testing.ToolchainTruth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolver forms that Go's linker does not emit but C toolchains and dynamic linking do. */
class CStubFormsTest {

    @ParameterizedTest
    @EnumSource(CStubForm.class)
    void stubResolvesToItsTargetInEveryAddressForm(CStubForm form) throws Exception {
        Path binary = form.build();
        Map<String, ToolchainTruth.NmSymbol> nm = ToolchainTruth.nm(binary);

        CheckResult result = StubResolution.check(Artifact.open(binary), Expectation.resolve("addr_of_target", "target_fn"));

        assertEquals(Verdict.MATCH, result.verdict(), result.reason());
        assertEquals(nm.get("target_fn").address(), result.evidence().resolved().orElseThrow().address());
        assertEquals(form.throughGot(), result.reason().contains("loaded from") && result.reason().contains(".got"),
                result.reason());
    }

    @ParameterizedTest
    @EnumSource(CStubForm.class)
    void stubForAnotherFunctionIsMismatchNamingWhatItYields(CStubForm form) throws Exception {
        Path binary = form.build();

        CheckResult result = StubResolution.check(Artifact.open(binary), Expectation.resolve("addr_of_target", "other_fn"));

        assertEquals(Verdict.MISMATCH, result.verdict(), result.reason());
        assertTrue(result.reason().contains("<target_fn>"), result.reason());
    }
}
