package dev.verifarm.agent.elf;

/** An Elf64_Phdr. */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {

    public static final int PT_LOAD = 1;
    public static final int PF_X = 1;

    public boolean isLoad() {
        return type == PT_LOAD;
    }

    public boolean executable() {
        return (flags & PF_X) != 0;
    }

    /** Whether [address, address+length) lies in the part of this segment that the file backs. */
    public boolean backs(long address, long length) {
        long start = address - vaddr;
        return Long.compareUnsigned(address, vaddr) >= 0 && Long.compareUnsigned(start, filesz) <= 0
                && Long.compareUnsigned(length, filesz - start) <= 0;
    }
}
