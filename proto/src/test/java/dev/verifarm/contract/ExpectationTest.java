package dev.verifarm.contract;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExpectationTest {

    @Test
    void everySpelledFormReadsBackToItself() {
        for (String spelling : List.of("main.addrOf=main.f@pclntab-end", "data:slot=main.f@symbol-size",
                "funcvalue:main.f=main.f@symbol:main.f.end")) {
            assertEquals(spelling, Expectation.parse(CheckKind.COPY, spelling).spelling());
        }
        assertEquals("symbol:x=main.f", Expectation.parse(CheckKind.RESOLVE, "symbol:x=main.f").spelling());
    }

    @Test
    void aCopyWithoutEndRuleEndsAtItsPclntabEntry() {
        Expectation copy = Expectation.parse(CheckKind.COPY, "a=b");
        assertEquals(Optional.of(EndRule.pclntabEnd()), copy.endRule());
        assertEquals("a=b@pclntab-end", copy.spelling());
    }

    @Test
    void theStructuredAndSpelledFormsBuildEqualValues() {
        assertEquals(Expectation.of(CheckKind.COPY, " a ", "b", "symbol:c"), Expectation.parse(CheckKind.COPY, "a=b@symbol:c"));
        assertEquals(Expectation.of(CheckKind.RESOLVE, "a", "b", null), Expectation.resolve("a", "b"));
    }

    @Test
    void aResolveKeepsAnAtSignInItsTarget() {
        assertEquals("b@c", Expectation.parse(CheckKind.RESOLVE, "a=b@c").target());
    }

    @Test
    void aSpellingWithoutResolverIsRefusedAsAWhole() {
        ContractException refused = assertThrows(ContractException.class,
                () -> Expectation.parse(CheckKind.COPY, "=main.f"));
        assertEquals("expected RESOLVER=TARGET[@END], got '=main.f'", refused.getMessage());
        assertEquals("expectations[0].copy", refused.field("expectations[0].copy"));
    }

    @Test
    void anEmptyTargetIsRefusedInTheSpellingAndNamedInTheStructuredForm() {
        assertEquals("target is required, e.g. main.memcpyish",
                assertThrows(ContractException.class, () -> Expectation.parse(CheckKind.RESOLVE, "a=")).getMessage());
        assertEquals("expectations[1].target", assertThrows(ContractException.class,
                () -> Expectation.of(CheckKind.RESOLVE, "a", " ", null)).field("expectations[1]"));
    }

    @Test
    void anUnknownEndRuleNamesTheAllowedOnes() {
        ContractException refused = assertThrows(ContractException.class,
                () -> Expectation.of(CheckKind.COPY, "a", "b", "symbol:"));
        assertEquals("unknown end rule 'symbol:': use symbol-size, pclntab-end or symbol:NAME", refused.getMessage());
        assertEquals("e.endRule", refused.field("e"));
    }

    @Test
    void aResolveTakesNoEndRule() {
        assertEquals("an end rule applies only to COPY checks", assertThrows(ContractException.class,
                () -> Expectation.of(CheckKind.RESOLVE, "a", "b", "symbol-size")).getMessage());
    }

    @Test
    void namesAreBoundedAndPrintable() {
        assertEquals("the resolver is at most 1024 characters, got 1025", assertThrows(ContractException.class,
                () -> Expectation.resolve("r".repeat(1025), "b")).getMessage());
        assertEquals("the target contains a control character", assertThrows(ContractException.class,
                () -> Expectation.resolve("a", "b\n")).getMessage());
    }

    @Test
    void aResolveComparesWholeSymbols() {
        assertEquals(EndRule.symbolSize(), Expectation.resolve("a", "b").end());
    }
}
