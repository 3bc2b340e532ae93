package dev.verifarm.agent.isa;

import dev.verifarm.agent.elf.ElfFormatException;

/** The 64-bit words the loaded image holds, after dynamic relocation: what a GOT slot contains at run time. */
@FunctionalInterface
public interface LoadedMemory {

    long word(long address) throws ElfFormatException;
}
