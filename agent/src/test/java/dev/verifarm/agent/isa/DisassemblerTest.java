package dev.verifarm.agent.isa;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.testing.BuildVariant;
import dev.verifarm.agent.testing.GoArch;
import dev.verifarm.agent.testing.StubsFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A search that decodes a few instructions at a time finds what decoding everything and then searching finds. */
class DisassemblerTest {

    /** Past most functions' end, so that searches also run into padding and the next function. */
    private static final int SCAN_BYTES = 512;
    /** The runtime's first functions: enough calls, jumps, returns and padding, in a second or two. */
    private static final int FUNCTIONS = 300;

    @ParameterizedTest
    @EnumSource(GoArch.class)
    void findFirstFindsTheInstructionDecodeThenSearchFinds(GoArch arch) throws Exception {
        try (Artifact artifact = Artifact.open(new StubsFixture(arch, BuildVariant.DEFAULT).binary());
             Disassembler disassembler = Disassembler.forArchitecture(artifact.elf().architecture())) {
            List<Predicate<Instruction>> searches = List.of(Instruction::call, Instruction::ret,
                    i -> i.address() % 64 == 60, i -> false);
            List<Executable> checks = new ArrayList<>();
            List<CodeSymbol> functions = artifact.symbols().functions();
            for (CodeSymbol f : functions.subList(0, Math.min(functions.size(), FUNCTIONS))) {
                byte[] code = text(artifact, f.address());
                for (Predicate<Instruction> search : searches) {
                    for (int max : new int[] {0, 17}) {
                        OptionalLong expected = address(disassembler.decode(code, f.address(), max).stream()
                                .filter(search).findFirst());
                        checks.add(() -> assertEquals(expected,
                                address(disassembler.findFirst(code, f.address(), max, search)), f.name() + " max " + max));
                    }
                }
            }
            assertTrue(checks.size() > 1000, "searched " + checks.size() + " times");
            assertAll(checks);
        }
    }

    private static byte[] text(Artifact artifact, long address) throws ElfFormatException {
        for (int length = SCAN_BYTES; ; length /= 2) {
            try {
                return artifact.text(address, length);
            } catch (ElfFormatException e) {
                if (length == 1) {
                    throw e;
                }
            }
        }
    }

    private static OptionalLong address(Optional<Instruction> found) {
        return found.map(i -> OptionalLong.of(i.address())).orElse(OptionalLong.empty());
    }
}
