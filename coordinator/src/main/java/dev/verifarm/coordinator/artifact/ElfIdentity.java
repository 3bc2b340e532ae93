package dev.verifarm.coordinator.artifact;

import dev.verifarm.coordinator.job.Architecture;
import dev.verifarm.coordinator.problem.InvalidInputException;

/**
 * Reads an artifact's architecture from its ELF header, the only source the farm trusts for routing. Refuses
 * anything that is not a 64-bit little-endian ELF file of a machine the farm serves, saying precisely why.
 */
public final class ElfIdentity {
    /** e_ident (16) + e_type (2) + e_machine (2). */
    public static final int HEADER_BYTES = 20;
    private static final int EI_CLASS = 4;
    private static final int EI_DATA = 5;
    private static final int ELFCLASS32 = 1;
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int E_MACHINE = 18;

    private ElfIdentity() {
    }

    /**
     * The architecture of the file whose first bytes are {@code header} (at least {@link #HEADER_BYTES} of them
     * when the file is that long; {@code length} is how many are valid).
     */
    public static Architecture architecture(byte[] header, int length, String field) {
        if (length < 4 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            throw new InvalidInputException(field, "not an ELF file: it does not start with the magic 7f 45 4c 46");
        }
        if (length < HEADER_BYTES) {
            throw new InvalidInputException(field, "truncated ELF file: " + length
                    + " bytes, shorter than the " + HEADER_BYTES + " bytes up to e_machine");
        }
        int elfClass = header[EI_CLASS] & 0xff;
        if (elfClass == ELFCLASS32) {
            throw new InvalidInputException(field, "32-bit ELF file (EI_CLASS=ELFCLASS32): only 64-bit amd64 and"
                    + " arm64 executables are checked");
        }
        if (elfClass != ELFCLASS64) {
            throw new InvalidInputException(field, "invalid ELF class EI_CLASS=" + elfClass);
        }
        int data = header[EI_DATA] & 0xff;
        if (data != ELFDATA2LSB) {
            throw new InvalidInputException(field, "big-endian or invalid ELF data encoding EI_DATA=" + data
                    + ": only little-endian (ELFDATA2LSB) executables are checked");
        }
        int machine = (header[E_MACHINE] & 0xff) | (header[E_MACHINE + 1] & 0xff) << 8;
        return Architecture.ofElfMachine(machine).orElseThrow(() -> new InvalidInputException(field,
                "unsupported ELF machine e_machine=" + machine
                        + ": the farm serves EM_X86_64 (62, amd64) and EM_AARCH64 (183, arm64)"));
    }
}
