package dev.verifarm.agent.gosym;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.testing.DebianGoBinary;
import dev.verifarm.agent.testing.GoSymTable;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.agent.testing.ToolchainTruth;
import dev.verifarm.agent.testing.ToolchainTruth.NmSymbol;
import dev.verifarm.agent.testing.ToolchainTruth.Section;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pclntab reader sees what Go's own debug/gosym and go tool nm see, in the fixtures and in Debian's
 * stripped binaries, whichever layout holds the table.
 */
class PclntabTest {

    static Stream<StubsFixture> fixtures() {
        return StubsFixture.all();
    }

    static Stream<DebianGoBinary> debianBinaries() {
        return DebianGoBinary.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureFunctionsAreThoseGoDebugGosymReads(StubsFixture fixture) throws Exception {
        assertSameAsGoDebugGosym(fixture.binary());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("debianBinaries")
    void debianFunctionsAreThoseGoDebugGosymReads(DebianGoBinary binary) throws Exception {
        assertSameAsGoDebugGosym(binary.path());
    }

    /**
     * Each entry starts where nm puts a text symbol of its name: the body carries an .abi0 suffix there, and
     * the linker writes array lengths in .gopclntab names as {@code [...]} ({@code type..eq.[...]T}).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyEntryStartsWhereNmPutsItsSymbol(StubsFixture fixture) throws Exception {
        Map<Long, Set<String>> nmNamesAt = ToolchainTruth.nmAll(fixture.truth()).stream()
                .filter(s -> Character.toUpperCase(s.type()) == 'T')
                .collect(Collectors.groupingBy(NmSymbol::address,
                        Collectors.mapping(s -> s.name().replaceAll("\\[\\d+]", "[...]"), Collectors.toSet())));
        List<FuncEntry> functions = pclntab(fixture.binary()).functions();

        List<String> misplaced = new ArrayList<>();
        for (FuncEntry f : functions) {
            Set<String> names = nmNamesAt.getOrDefault(f.entry(), Set.of());
            if (!names.contains(f.name()) && !names.contains(f.name() + ".abi0")) {
                misplaced.add(f.name() + " at 0x" + Long.toHexString(f.entry()) + " (nm: " + names + ")");
            }
        }
        assertEquals(List.of(), misplaced);
        assertTrue(functions.size() > 1000, "a Go program has runtime functions: " + functions.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("debianBinaries")
    void debianTableIsSortedNamedAndHasTheRuntime(DebianGoBinary binary) throws Exception {
        List<FuncEntry> functions = pclntab(binary.path()).functions();

        List<String> problems = new ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            FuncEntry f = functions.get(i);
            if (f.name().isEmpty()) {
                problems.add("entry " + i + " has no name");
            }
            if (f.end() <= f.entry()) {
                problems.add(f.name() + " ends at or before its entry");
            }
            if (i > 0 && f.entry() != functions.get(i - 1).end()) {
                problems.add(f.name() + " does not start where " + functions.get(i - 1).name() + " ends");
            }
        }
        assertEquals(List.of(), problems);
        Set<String> names = functions.stream().map(FuncEntry::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("runtime.main", "main.main")), "runtime.main and main.main");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("debianBinaries")
    void debianMainMainLiesInAnExecutableSegment(DebianGoBinary binary) throws Exception {
        FuncEntry main = pclntab(binary.path()).named("main.main").get(0);

        assertTrue(ToolchainTruth.loadSegments(binary.path()).stream()
                        .anyMatch(s -> s.flags().contains("E") && s.contains(main.entry()) && s.contains(main.end() - 1)),
                "main.main at 0x" + Long.toHexString(main.entry()) + " in " + ToolchainTruth.loadSegments(binary.path()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("debianBinaries")
    void debianTableIsFoundInItsLayoutsSection(DebianGoBinary binary) throws Exception {
        Pclntab table = pclntab(binary.path());
        Section section = ToolchainTruth.sectionsByName(binary.path()).get(binary.layout().section());

        assertTrue(section != null, binary + " has " + binary.layout().section());
        if (binary.layout() == DebianGoBinary.Layout.INSIDE_DATA_REL_RO) {
            assertTrue(table.address() > section.address() && table.address() < section.address() + section.size(),
                    "table at 0x" + Long.toHexString(table.address()) + " inside " + section);
        } else {
            assertEquals(section.address(), table.address());
        }
        assertEquals(PclntabVersion.GO_1_18, table.version(), "Debian's Go 1.19 writes the 1.18 format");
    }

    private static void assertSameAsGoDebugGosym(Path binary) throws Exception {
        List<GoSymTable.Function> expected = GoSymTable.functions(binary);
        List<FuncEntry> functions = pclntab(binary).functions();

        assertEquals(expected.size(), functions.size(), "number of functions");
        long first = functions.get(0).entry();
        List<GoSymTable.Function> actual = functions.stream()
                .map(f -> new GoSymTable.Function(f.entry() - first, f.name())).toList();
        assertAll(() -> assertFalse(expected.isEmpty()), () -> assertEquals(expected, actual));
    }

    private static Pclntab pclntab(Path binary) throws Exception {
        return Pclntab.find(ElfFile.open(binary)).orElseThrow(() -> new AssertionError("no pclntab in " + binary));
    }
}
