package dev.verifarm.agent.elf;

/** An Elf64_Rela from a dynamic relocation section, such as the one that fills a GOT slot in a PIE. */
public record Relocation(long offset, int type, int symbolIndex, long addend) {

    public static final int R_X86_64_GLOB_DAT = 6;
    public static final int R_X86_64_RELATIVE = 8;
    public static final int R_X86_64_64 = 1;
    public static final int R_AARCH64_ABS64 = 257;
    public static final int R_AARCH64_GLOB_DAT = 1025;
    public static final int R_AARCH64_RELATIVE = 1027;

    /** Whether the slot receives load bias + addend, so the addend is the slot's link-time value. */
    public boolean isRelative(Architecture architecture) {
        return switch (architecture) {
            case AMD64 -> type == R_X86_64_RELATIVE;
            case ARM64 -> type == R_AARCH64_RELATIVE;
        };
    }

    /** Whether the slot receives a symbol's address (plus addend). */
    public boolean isSymbolAddress(Architecture architecture) {
        return switch (architecture) {
            case AMD64 -> type == R_X86_64_GLOB_DAT || type == R_X86_64_64;
            case ARM64 -> type == R_AARCH64_GLOB_DAT || type == R_AARCH64_ABS64;
        };
    }
}
