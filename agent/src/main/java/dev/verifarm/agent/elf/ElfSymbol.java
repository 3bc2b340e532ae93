package dev.verifarm.agent.elf;

/** An Elf64_Sym with its name. */
public record ElfSymbol(String name, int info, int sectionIndex, long value, long size) {

    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;

    public int type() {
        return info & 0xf;
    }

    public boolean isFunction() {
        return type() == STT_FUNC;
    }

    public boolean isDefined() {
        return sectionIndex != 0;
    }

    public long end() {
        return value + size;
    }
}
