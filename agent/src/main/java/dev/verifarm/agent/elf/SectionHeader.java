package dev.verifarm.agent.elf;

/** An Elf64_Shdr, with its name resolved from .shstrtab. */
public record SectionHeader(int index, String name, int type, long flags, long addr, long offset, long size,
                            int link, int info, long addralign, long entsize) {

    public static final int SHT_NOBITS = 8;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_DYNSYM = 11;
    public static final int SHT_RELA = 4;
    public static final long SHF_EXECINSTR = 0x4;

    public boolean hasFileData() {
        return type != SHT_NOBITS;
    }

    /** SHF_EXECINSTR: the section holds machine code. */
    public boolean executable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    public boolean containsAddress(long address) {
        return addr != 0 && Long.compareUnsigned(address - addr, size) < 0;
    }
}
