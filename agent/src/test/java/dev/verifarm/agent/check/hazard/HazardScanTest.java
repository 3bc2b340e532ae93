package dev.verifarm.agent.check.hazard;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.Report;
import dev.verifarm.agent.check.vocabulary.Hazard;
import dev.verifarm.agent.check.vocabulary.HazardReference;
import dev.verifarm.agent.check.vocabulary.HazardScope;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.SafecopyFixture.WordReference;
import dev.verifarm.agent.testing.SafecopyFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hazard scan on a program built like gVisor's pkg/safecopy before its fix, and on the fixed one, with Go 1.19
 * and 1.22 for amd64 and arm64, plain, PIE, stripped and externally linked. What it must find comes from go tool nm
 * (bodies, wrappers, data symbols), go tool objdump (the instructions that refer to func value words) and readelf
 * (the words' link-time values).
 */
class HazardScanTest {

    static Stream<SafecopyFixture> broken() {
        return SafecopyFixture.all(false);
    }

    static Stream<SafecopyFixture> fixed() {
        return SafecopyFixture.all(true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void everyAssemblyFunctionWhoseValueIsTakenIsAUserHazardAtItsBodyAndWrapper(SafecopyFixture fixture) {
        List<Hazard> user = scan(fixture).userHazards();

        assertEquals(SafecopyFixture.ASSEMBLY, user.stream().map(Hazard::function).toList());
        assertAll(user.stream().map(h -> () -> {
            assertEquals(fixture.address(h.function() + ".abi0"), h.body().address(), h.function() + " body");
            assertEquals(fixture.address(h.function()), h.wrapper().address(), h.function() + " wrapper");
        }));
    }

    /** Each func value word holds the wrapper's entry, as readelf reads the file (a PIE's through its relocation). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void funcValueWordsHoldTheWrappersEntry(SafecopyFixture fixture) {
        assertAll(scan(fixture).userHazards().stream().flatMap(h -> h.funcValueWords().stream().map(w -> () ->
                assertEquals(fixture.address(h.function()), fixture.word(w.address()), h.function() + " at " + w))));
    }

    /**
     * The code that takes a func value is every instruction of a main function that objdump shows referring to a
     * word that holds a main wrapper's entry: memcpy's reflect call and loadUint32's argument, both in init.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void codeTakersAreTheInstructionsObjdumpShows(SafecopyFixture fixture) {
        Map<Long, String> wrappers = SafecopyFixture.ASSEMBLY.stream()
                .collect(Collectors.toMap(fixture::address, Function.identity()));
        Set<String> expected = new TreeSet<>();
        for (WordReference r : fixture.dataReferences()) {
            String taken = wrappers.get(fixture.word(r.target()));
            if (taken != null) {
                expected.add(taken + " in " + r.symbol() + " at 0x" + Long.toHexString(r.address()));
            }
        }
        Set<String> found = new TreeSet<>();
        for (Hazard h : scan(fixture).userHazards()) {
            h.references().stream().filter(r -> r.kind().equals("code")).forEach(r ->
                    found.add(h.function() + " in " + r.taker() + " at 0x" + Long.toHexString(r.at().address())));
        }

        assertTrue(expected.stream().anyMatch(e -> e.startsWith("main.memcpy in main.init.0")), expected::toString);
        assertTrue(expected.stream().anyMatch(e -> e.startsWith("main.loadUint32 in main.init.0")), expected::toString);
        assertEquals(expected, found);
    }

    /**
     * The data that takes a func value: the func variable swap64, the table faultTable (its third word, after the
     * name's string header) and the interface slice extraFuncs (the data word of its first element, where the
     * slice header nm lists points), each named by the variable nm lists.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void dataTakersAreTheWordsOfTheVariablesThatHoldTheValue(SafecopyFixture fixture) {
        long extraFuncsArray = fixture.word(fixture.address("main.extraFuncs"));
        Map<String, Long> expected = Map.of(
                "main.swapUint64", fixture.address("main.swap64"),
                "main.memclr", fixture.address("main.faultTable") + 16,
                "main.swapUint32", extraFuncsArray + 8);
        Map<String, Hazard> byFunction = byFunction(scan(fixture));

        assertAll(expected.entrySet().stream().map(e -> () -> assertEquals(List.of(e.getValue()),
                byFunction.get(e.getKey()).references().stream().filter(r -> r.kind().equals("data"))
                        .map(r -> r.at().address()).toList(), e.getKey())));
        if (!fixture.variant().stripped()) {
            assertEquals(List.of("main.swap64"), byFunction.get("main.swapUint64").takenIn());
            assertEquals(List.of("main.faultTable"), byFunction.get("main.memclr").takenIn());
            assertEquals(List.of("main.extraFuncs"), byFunction.get("main.swapUint32").takenIn(),
                    "the literal's array has no name of its own: the variable whose slice points at it");
        }
    }

    /** init calls reflect.Value.Pointer on memcpy's value (objdump shows the call); swap64 is only ever called. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void reflectTakersAreMarkedAsLikelyAddressUses(SafecopyFixture fixture) {
        Map<String, Hazard> byFunction = byFunction(scan(fixture));
        boolean initCallsPointer = dev.verifarm.agent.testing.ToolchainTruth.objdumpFunction(fixture.truth(),
                "main.init.0").stream().anyMatch(l -> l.text().equals("CALL reflect.Value.Pointer(SB)"));

        assertTrue(initCallsPointer, "objdump shows no call of reflect.Value.Pointer in main.init.0");
        assertTrue(byFunction.get("main.memcpy").usedAsAddress().orElse("").contains("reflect.Value.Pointer"));
        assertTrue(byFunction.get("main.swapUint64").usedAsAddress().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void eachUserHazardSuggestsItsResolverStub(SafecopyFixture fixture) {
        Hazard memcpy = byFunction(scan(fixture)).get("main.memcpy");

        assertEquals("main.addrOfMemcpy", memcpy.fix().orElseThrow().stub());
        assertEquals(List.of("--resolve main.addrOfMemcpy=main.memcpy", "--copy main.addrOfMemcpy=main.memcpy@pclntab-end"),
                memcpy.fix().orElseThrow().expectations());
        assertTrue(memcpy.fix().orElseThrow().amd64().contains("LEAQ ·memcpy(SB), AX"));
        assertTrue(memcpy.fix().orElseThrow().arm64().contains("MOVD $·memcpy(SB), R0"));
    }

    /** The runtime takes a few of its own assembly functions' values, to call them: never the user's hazard. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void hazardsOfGoOwnPackagesAreToolchainScoped(SafecopyFixture fixture) {
        List<Hazard> others = scan(fixture).hazards().orElseThrow().stream()
                .filter(h -> !h.function().startsWith("main.")).toList();

        assertTrue(others.stream().anyMatch(h -> h.function().equals("runtime.osyield")), others::toString);
        assertAll(others.stream().map(h -> () -> assertEquals(HazardScope.TOOLCHAIN, h.scope(), h.scopeReason())));
    }

    /**
     * The hazard is real: run (natively, or under qemu-user), the program records the fault range of each function
     * from the wrapper the scan names, and after the fix from the body.
     */
    @ParameterizedTest
    @EnumSource(GoArch.class)
    void theRunningProgramRecordsTheWrapperTheScanNamesAndAfterTheFixTheBody(GoArch arch) {
        SafecopyFixture broken = new SafecopyFixture(false, arch, BuildVariant.DEFAULT, GoToolchain.GO_1_22);
        SafecopyFixture fixed = new SafecopyFixture(true, arch, BuildVariant.DEFAULT, GoToolchain.GO_1_22);
        Map<String, Long> wrappers = byFunction(scan(broken)).values().stream().filter(Hazard::user)
                .collect(Collectors.toMap(Hazard::function, h -> h.wrapper().address()));
        wrappers.remove("main.swapUint64"); // only ever called: it has no range

        assertEquals(wrappers, broken.recordedRanges());
        assertEquals(SafecopyFixture.ASSEMBLY.stream().collect(Collectors.toMap(Function.identity(),
                f -> fixed.address(f + ".abi0"))), fixed.recordedRanges());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixed")
    void theFixedProgramHasNoUserHazard(SafecopyFixture fixture) {
        Report report = scan(fixture);

        assertEquals(List.of(), report.userHazards().stream().map(Hazard::function).toList());
        assertTrue(report.passed());
    }

    private static Report scan(SafecopyFixture fixture) {
        Report report = fixture.report();
        assertTrue(report.error().isEmpty() && report.hazardsError().isEmpty(), () -> report.error()
                .or(report::hazardsError).orElse(""));
        return report;
    }

    private static Map<String, Hazard> byFunction(Report report) {
        return report.hazards().orElseThrow().stream().collect(Collectors.toMap(Hazard::function, Function.identity()));
    }
}
