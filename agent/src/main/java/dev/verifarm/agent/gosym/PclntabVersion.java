package dev.verifarm.agent.gosym;

import java.util.Arrays;
import java.util.Optional;

/** The .gopclntab layouts, by the magic that opens them. */
public enum PclntabVersion {
    GO_1_2(0xfffffffbL),
    GO_1_16(0xfffffffaL),
    GO_1_18(0xfffffff0L),
    GO_1_20(0xfffffff1L);

    private final long magic;

    PclntabVersion(long magic) {
        this.magic = magic;
    }

    public long magic() {
        return magic;
    }

    public static Optional<PclntabVersion> ofMagic(long magic) {
        return Arrays.stream(values()).filter(v -> v.magic == magic).findFirst();
    }

    /** Whether _func records carry the flag byte whose ASM bit marks assembly bodies (Go 1.18+). */
    boolean hasAsmFlag() {
        return this == GO_1_18 || this == GO_1_20;
    }
}
