package dev.verifarm.agent.gosym;

import dev.verifarm.agent.elf.Bytes;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.SectionHeader;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What .go.buildinfo records and stripping keeps: the Go toolchain version and the module information (the main
 * module's path and its dependencies), in the Go 1.18+ form of two varint-length strings after a 32-byte header.
 */
public final class GoBuildInfo {

    private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int FLAG_INLINE_STRINGS = 0x2;
    private static final long HEADER_SIZE = 32;
    /** Module information lines that name a module: {@code path}, {@code mod}, {@code dep} and a replacement. */
    private static final List<String> MODULE_LINES = List.of("path", "mod", "dep", "=>");

    private GoBuildInfo() {
    }

    /** The version string ({@code go1.19.8}), or empty when the file has none in the Go 1.18+ inline form. */
    public static Optional<String> version(ElfFile elf) throws ElfFormatException {
        return strings(elf, 1).map(s -> s.get(0));
    }

    /**
     * The paths of the modules the binary was built from (the main module and its dependencies), or empty when the
     * file records none. Packages under these paths are the user's, even when a path has no dot.
     */
    public static Set<String> modulePaths(ElfFile elf) throws ElfFormatException {
        Set<String> out = new TreeSet<>();
        Optional<List<String>> strings = strings(elf, 2);
        if (strings.isEmpty()) {
            return out;
        }
        for (String line : strings.get().get(1).split("\n")) {
            String[] fields = line.split("\t");
            for (String kind : MODULE_LINES) {
                // the first line starts after a 16-byte sentinel that runtime/debug strips
                if (fields.length > 1 && fields[0].endsWith(kind) && !fields[1].isEmpty()) {
                    out.add(fields[1]);
                    break;
                }
            }
        }
        return out;
    }

    /** The first {@code count} inline strings, or empty when the file has no Go 1.18+ build information. */
    private static Optional<List<String>> strings(ElfFile elf, int count) throws ElfFormatException {
        Optional<SectionHeader> section = elf.section(".go.buildinfo");
        if (section.isEmpty() || !section.get().hasFileData()) {
            return Optional.empty();
        }
        Bytes data = elf.sectionData(section.get());
        if (data.size() < HEADER_SIZE || data.indexOf(MAGIC, 0) != 0) {
            return Optional.empty();
        }
        if ((data.u8(15) & FLAG_INLINE_STRINGS) == 0) {
            return Optional.empty(); // before Go 1.18 the strings sit behind pointers; names do not need them
        }
        String[] out = new String[count];
        long offset = HEADER_SIZE;
        for (int i = 0; i < count; i++) {
            long length = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 28) {
                    throw new ElfFormatException(data.fileOffset() + offset, "build info string length is not a valid varint");
                }
                int b = data.u8(offset++);
                length |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            out[i] = new String(data.copy(offset, length, "build info string"), StandardCharsets.UTF_8);
            offset += length;
        }
        return Optional.of(List.of(out));
    }
}
