package dev.verifarm.agent.check.resolve;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.check.vocabulary.DecodedInstruction;
import dev.verifarm.agent.elf.DataWord;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.ElfSymbol;
import dev.verifarm.agent.symbols.UnknownSymbolException;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Resolves {@code data:NAME}: the code address held in the 8-byte data word named NAME, the other fix people use
 * besides a stub ({@code GLOBL ·xAddr(SB), RODATA, $8} with {@code DATA ·xAddr(SB)/8, $·x(SB)}, the shape of
 * golang.org/x/sys's {@code *_trampoline_addr} words). In a PIE the word's value is its relocation's addend.
 */
final class DataWordResolver {

    private DataWordResolver() {
    }

    static ResolverAddress resolve(Artifact artifact, String name)
            throws UnknownSymbolException, ElfFormatException, ResolverUnavailableException {
        if (!artifact.dataSymbols().any()) {
            throw new ResolverUnavailableException("data:" + name + " names a data symbol, and this binary has no"
                    + " .symtab (it is stripped): no data symbol has a name here. Check an unstripped build, or use"
                    + " --discover to list the data words that hold function entries by address");
        }
        ElfSymbol symbol = artifact.dataSymbols().named(name);
        String at = name + " at 0x" + Long.toHexString(symbol.value());
        if (symbol.size() != 0 && symbol.size() < Long.BYTES) {
            return unresolved(at + " is " + symbol.size() + " bytes, not an 8-byte word");
        }
        if (artifact.dataWords().filledAtRunTime(symbol.value())) {
            return unresolved(at + " is filled by the dynamic loader from another module: its value exists only at"
                    + " run time; use native mode");
        }
        Optional<DataWord> word = artifact.dataWords().at(symbol.value());
        if (word.isEmpty()) {
            return unresolved(at + " is not in a data section the file fills (.bss and .noptrbss are set at run time;"
                    + " use native mode)");
        }
        DataWord w = word.get();
        byte[] inFile = artifact.elf().bytesAt(w.address(), Long.BYTES).copy(0, Long.BYTES, "data word " + name);
        String relocated = artifact.elf().isPie() && artifact.elf().dynamicRelocations().containsKey(w.address())
                ? "its dynamic relocation's addend" : "the file's bytes";
        DecodedInstruction shown = new DecodedInstruction(w.address(), HexFormat.of().formatHex(inFile),
                ".8byte 0x" + Long.toHexString(w.value()), "data word " + name + " in " + w.section() + ", by " + relocated);
        return new ResolverAddress(OptionalLong.of(w.value()), List.of(shown),
                "the data word " + at + " in " + w.section() + " holds it (" + relocated + ")");
    }

    private static ResolverAddress unresolved(String why) {
        return new ResolverAddress(OptionalLong.empty(), List.of(), why);
    }
}
