package dev.verifarm.agent.elf;

/**
 * The file is not the ELF it claims to be. Like Go's {@code debug/elf.FormatError}, it names the file
 * offset where reading went wrong and what was wrong there.
 */
public final class ElfFormatException extends Exception {

    private final long offset;
    private final String reason;

    public ElfFormatException(long offset, String reason) {
        super("malformed ELF at offset 0x" + Long.toHexString(offset) + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
