package dev.verifarm.agent.gosym;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.verifarm.agent.elf.Bytes;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.ElfLayout;
import dev.verifarm.agent.testing.GoArch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The pclntab reader on a real stubs fixture whose .gopclntab bytes the fuzzer overwrites: the first input
 * byte picks the fixture (bit 0: arm64) and the window (bits 1-2: the header, the function table, the function
 * name table, the section's last bytes); the rest is spliced in there. Parsing must give a sorted table or an
 * {@link ElfFormatException} with a reason.
 *
 * <p>{@code mvn test} runs the committed inputs in
 * {@code src/test/resources/dev/verifarm/agent/gosym/PclntabFuzzTestInputs/parse/} (each the original bytes of a
 * window, written by {@code SeedCorpusWriter}). To fuzz for real:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=PclntabFuzzTest#parse}.
 */
class PclntabFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int selector = data[0] & 0xff;
        ElfLayout layout = ElfLayout.stubs((selector & 1) == 0 ? GoArch.AMD64 : GoArch.ARM64, BuildVariant.DEFAULT);
        byte[] file = layout.copy();
        long start = layout.pclntabWindow((selector >> 1) % ElfLayout.PCLNTAB_WINDOWS);
        long end = layout.pclntab().offset() + layout.pclntab().size();
        int length = (int) Math.max(0, Math.min(data.length - 1, end - start));
        System.arraycopy(data, 1, file, (int) start, length);
        try {
            Optional<Pclntab> table = Pclntab.find(ElfFile.parse(Path.of("fuzz-input"), Bytes.wrap(file)));
            assertTrue(table.isPresent(), "the .gopclntab section is still there");
            long previous = Long.MIN_VALUE;
            for (FuncEntry f : table.get().functions()) {
                assertTrue(Long.compareUnsigned(f.end(), f.entry()) >= 0, () -> "ends before it starts: " + f);
                assertTrue(previous == Long.MIN_VALUE || Long.compareUnsigned(f.entry(), previous) >= 0, "unsorted");
                previous = f.entry();
                assertFalse(table.get().named(f.name()).isEmpty(), "named() misses " + f.name());
            }
            table.get().lookup(layout.body().address());
        } catch (ElfFormatException e) {
            assertFalse(e.reason().isBlank(), "an ElfFormatException without a reason");
        }
    }
}
