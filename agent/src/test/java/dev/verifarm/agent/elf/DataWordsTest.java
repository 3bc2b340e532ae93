package dev.verifarm.agent.elf;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.GoToolchain;
import dev.verifarm.agent.testing.ShapesFixture;
import dev.verifarm.agent.testing.ToolchainTruth;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data words are the ones the program itself reads: the shapes fixture's assembly {@code DATA} words, built
 * plain, stripped and PIE by Go 1.19 and 1.22 for amd64 and arm64, checked against nm, readelf and the values the
 * program prints when it runs.
 */
class DataWordsTest {

    private static final List<String> WORDS = List.of("main.bodyAddr", "main.bodyAddrNoptr", "main.elsewhereAddr",
            "main.insideAddr");

    static Stream<ShapesFixture> fixtures() {
        return ShapesFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachWordHoldsWhatTheRunningProgramReadsFromIt(ShapesFixture fixture) throws Exception {
        DataWords words = DataWords.of(ElfFile.open(fixture.binary()));

        assertAll(WORDS.stream().map(name -> () -> assertEquals(
                Optional.of(fixture.yields().get("data:" + name)),
                words.at(fixture.address(name)).map(DataWord::value), name)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachWordIsInTheSectionReadelfPlacesItIn(ShapesFixture fixture) throws Exception {
        DataWords words = DataWords.of(ElfFile.open(fixture.binary()));
        List<ToolchainTruth.Section> sections = ToolchainTruth.sections(fixture.binary());

        assertAll(WORDS.stream().map(name -> () -> {
            long address = fixture.address(name);
            String expected = sections.stream().filter(s -> s.contains(address)).findFirst().orElseThrow().name();
            assertEquals(expected, words.at(address).orElseThrow().section(), name);
        }));
    }

    /**
     * The loader writes bias + addend into a PIE's relocated word, whatever the file holds there (Go's linker
     * writes the link-time value, an external linker may write zero): the addend is the value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aPieWordsValueIsItsRelocationsAddendWhateverTheFileHolds(ShapesFixture fixture) throws Exception {
        long address = fixture.address("main.bodyAddr");
        SectionHeader section = ElfFile.open(fixture.binary()).sections().stream()
                .filter(s -> s.containsAddress(address)).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(fixture.binary());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong((int) (section.offset() + address - section.addr()), 0x1234_5678L);

        DataWord word = DataWords.of(ElfFile.parse(fixture.binary(), Bytes.wrap(bytes))).at(address).orElseThrow();

        assertEquals(fixture.variant().pie() ? fixture.address("main.body.abi0") : 0x1234_5678L, word.value());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theWordsPointingAtTheBodiesAreExactlyTheAssemblyDataWords(ShapesFixture fixture) throws Exception {
        DataWords words = DataWords.of(ElfFile.open(fixture.binary()));
        long body = fixture.address("main.body.abi0");
        long elsewhere = fixture.address("main.elsewhere.abi0");

        List<DataWord> found = words.pointingAt(List.of(body, elsewhere));

        assertEquals(List.of(fixture.address("main.bodyAddr"), fixture.address("main.elsewhereAddr"),
                        fixture.address("main.bodyAddrNoptr")).stream().sorted().toList(),
                found.stream().map(DataWord::address).toList());
        assertTrue(found.stream().allMatch(w -> w.value() == body || w.value() == elsewhere), found.toString());
    }

    /** Go's func value variable points at a func value word, and that word holds the ABI wrapper's entry. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theFuncValueWordPointsAtTheWrapper(ShapesFixture fixture) throws Exception {
        DataWords words = DataWords.of(ElfFile.open(fixture.binary()));
        long funcValue = words.at(fixture.address("main.bodyFunc")).orElseThrow().value();

        List<DataWord> found = words.pointingAt(List.of(fixture.address("main.body")));

        assertTrue(found.stream().anyMatch(w -> w.address() == funcValue),
                "main.bodyFunc points at 0x" + Long.toHexString(funcValue) + "; words holding the wrapper: " + found);
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void aDataSectionInTheKernelsHalfOfTheAddressSpaceIsAFormatError(GoArch arch) throws Exception {
        ShapesFixture fixture = new ShapesFixture(arch, BuildVariant.DEFAULT, GoToolchain.GO_1_19);
        Map.Entry<byte[], SectionHeader> hostile = fixture.withSectionAddress(".rodata", 0xffff_ffff_ffff_f000L);

        ElfFile elf = ElfFile.parse(fixture.binary(), Bytes.wrap(hostile.getKey()));
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> DataWords.of(elf));

        assertEquals(hostile.getValue().offset(), e.offset());
        assertTrue(e.getMessage().contains(".rodata at 0xfffffffffffff000"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void aRelocationNamingNoDynamicSymbolIsAFormatError(GoArch arch) throws Exception {
        ShapesFixture fixture = new ShapesFixture(arch, BuildVariant.PIE, GoToolchain.GO_1_19);
        ElfFile original = ElfFile.open(fixture.binary());
        long word = fixture.address("main.bodyAddr");
        SectionHeader rela = original.sections().stream()
                .filter(s -> s.type() == SectionHeader.SHT_RELA && (s.flags() & 2) != 0).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(fixture.binary());
        ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long entry = Stream.iterate(rela.offset(), o -> o < rela.offset() + rela.size(), o -> o + 24)
                .filter(o -> file.getLong((int) (long) o) == word).findFirst().orElseThrow();
        int globDat = arch == GoArch.AMD64 ? Relocation.R_X86_64_GLOB_DAT : Relocation.R_AARCH64_GLOB_DAT;
        file.putLong((int) entry + 8, (999L << 32) | globDat);

        ElfFile elf = ElfFile.parse(fixture.binary(), Bytes.wrap(bytes));
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> DataWords.of(elf));

        assertTrue(e.getMessage().contains("0x" + Long.toHexString(word) + " names dynamic symbol 999"), e.getMessage());
    }
}
