package dev.verifarm.agent.elf;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verifarm.agent.testing.DebianGoBinary;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import dev.verifarm.agent.testing.ToolchainTruth;
import dev.verifarm.agent.testing.ToolchainTruth.LoadSegment;
import dev.verifarm.agent.testing.ToolchainTruth.Section;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ELF reader sees the header, segments and sections that readelf sees, in fixtures and Debian binaries. */
class ElfFileTest {

    /** Every fixture variant and every Debian binary, by path, with its architecture. */
    static Stream<Object[]> binaries() {
        return Stream.concat(
                StubsFixture.all().map(f -> new Object[] {f.toString(), f.arch(), f.binary()}),
                DebianGoBinary.all().map(b -> new Object[] {b.toString(), b.arch(), b.path()}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void architectureAndTypeAreTheHeadersOwn(String name, GoArch arch, Path binary) throws Exception {
        ElfFile elf = ElfFile.open(binary);

        assertEquals(arch.goarch(), elf.architecture().goName());
        assertEquals(ToolchainTruth.elfHeader(binary).get("Type").startsWith("DYN"), elf.isPie());
        assertEquals(Long.decode(ToolchainTruth.elfHeader(binary).get("Entry point address")), elf.entry());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void loadSegmentsAreThoseReadelfLists(String name, GoArch arch, Path binary) throws Exception {
        List<LoadSegment> actual = ElfFile.open(binary).segments().stream().filter(ProgramHeader::isLoad)
                .map(p -> new LoadSegment(p.offset(), p.vaddr(), p.filesz(), p.memsz(), flags(p), p.align()))
                .toList();

        assertEquals(ToolchainTruth.loadSegments(binary), actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void sectionsAreThoseReadelfLists(String name, GoArch arch, Path binary) throws Exception {
        List<Section> expected = ToolchainTruth.sections(binary);
        List<SectionHeader> sections = ElfFile.open(binary).sections();

        assertEquals(expected.size() + 1, sections.size(), "sections, the null one included");
        for (Section s : expected) {
            SectionHeader h = sections.get(s.index());
            assertEquals(List.of(s.name(), s.address(), s.offset(), s.size()),
                    List.of(h.name(), h.addr(), h.offset(), h.size()), "section " + s.index());
        }
    }

    /** Code is what lies in a section readelf flags X, whatever else the executable segment maps. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void codeAddressesAreThoseOfSectionsReadelfFlagsExecutable(String name, GoArch arch, Path binary) throws Exception {
        ElfFile elf = ElfFile.open(binary);

        assertAll(ToolchainTruth.sections(binary).stream().filter(s -> s.address() != 0 && s.size() > 0)
                .map(s -> () -> assertEquals(s.executable(), elf.isCodeAddress(s.address()), s.name() + " " + s.flags())));
    }

    /** readelf's spelling of p_flags: "R E", "RW", "R" with the blanks removed. */
    private static String flags(ProgramHeader p) {
        return ((p.flags() & 4) != 0 ? "R" : "") + ((p.flags() & 2) != 0 ? "W" : "") + ((p.flags() & 1) != 0 ? "E" : "");
    }
}
