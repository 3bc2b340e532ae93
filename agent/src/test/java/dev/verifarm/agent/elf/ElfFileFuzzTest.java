package dev.verifarm.agent.elf;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.verifarm.agent.gosym.GoBuildInfo;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.symbols.SymbolTable;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The ELF reader over arbitrary bytes: it returns a whole file or throws {@link ElfFormatException} with a
 * reason, and so does everything read through it; any other exception, a hang or a huge allocation is a bug.
 *
 * <p>{@code mvn test} runs this in regression mode over the committed inputs in
 * {@code src/test/resources/dev/verifarm/agent/elf/ElfFileFuzzTestInputs/parse/} (headers and small prefixes of
 * the real fixtures, written by {@code SeedCorpusWriter}, plus every crash found so far). To fuzz for real:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=ElfFileFuzzTest#parse}; findings land in that directory, to be fixed
 * and committed as regression inputs.
 */
class ElfFileFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] data) {
        try {
            ElfFile elf = ElfFile.parse(Path.of("fuzz-input"), Bytes.wrap(data));
            elf.symbols();
            elf.dynamicSymbols();
            elf.dynamicRelocations();
            Optional<Pclntab> pclntab = Pclntab.find(elf);
            SymbolTable.of(elf, pclntab).locate(elf.entry());
            GoBuildInfo.version(elf);
            elf.bytesAt(elf.entry(), 16);
        } catch (ElfFormatException e) {
            assertFalse(e.reason().isBlank(), "an ElfFormatException without a reason");
        }
    }
}
