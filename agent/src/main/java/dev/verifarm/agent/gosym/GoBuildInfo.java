package dev.verifarm.agent.gosym;

import dev.verifarm.agent.elf.Bytes;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.SectionHeader;

import java.util.Optional;

/** The Go toolchain version recorded in .go.buildinfo, which survives stripping. */
public final class GoBuildInfo {

    private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final int FLAG_INLINE_STRINGS = 0x2;

    private GoBuildInfo() {
    }

    /** The version string ({@code go1.19.8}), or empty when the file has none in the Go 1.18+ inline form. */
    public static Optional<String> version(ElfFile elf) throws ElfFormatException {
        Optional<SectionHeader> section = elf.section(".go.buildinfo");
        if (section.isEmpty() || !section.get().hasFileData()) {
            return Optional.empty();
        }
        Bytes data = elf.sectionData(section.get());
        if (data.size() < 32 || data.indexOf(MAGIC, 0) != 0) {
            return Optional.empty();
        }
        if ((data.u8(15) & FLAG_INLINE_STRINGS) == 0) {
            return Optional.empty(); // before Go 1.18 the version sits behind pointers; names do not need it
        }
        long offset = 32;
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw new ElfFormatException(data.fileOffset() + offset, "build info version length is not a valid varint");
            }
            int b = data.u8(offset++);
            length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return Optional.of(new String(data.copy(offset, length, "build info version"),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
