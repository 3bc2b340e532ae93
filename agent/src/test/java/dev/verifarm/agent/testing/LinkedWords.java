package dev.verifarm.agent.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 8-byte words of a binary's data as binutils describe them, for tests of code that reads them: the section
 * that {@code readelf -SW} places an address in gives the file offset, and in a PIE the {@code R_*_RELATIVE}
 * relocation that {@code readelf -rW} lists for a word gives its link-time value, which the file holds as zero.
 */
public final class LinkedWords {

    // "00000000004df3c0  0000000000000008 R_X86_64_RELATIVE                         47e8e4"
    private static final Pattern RELATIVE = Pattern.compile(
            "^\\s*(\\p{XDigit}+)\\s+\\p{XDigit}+\\s+R_(?:X86_64|AARCH64)_RELATIVE\\s+(\\p{XDigit}+)\\s*$");

    private final Path binary;
    private final List<ToolchainTruth.Section> sections;
    private final Map<Long, Long> relative;

    private LinkedWords(Path binary, List<ToolchainTruth.Section> sections, Map<Long, Long> relative) {
        this.binary = binary;
        this.sections = sections;
        this.relative = relative;
    }

    public static LinkedWords of(Path binary) {
        ExternalCommand.Result r = ExternalCommand.run(List.of(ExternalCommand.require("readelf",
                "install Debian's binutils").toString(), "-rW", binary.toString()), null, Map.of(), Duration.ofMinutes(1));
        if (!r.succeeded()) {
            throw new IllegalStateException("readelf -rW failed on " + binary + ": " + r.describe());
        }
        Map<Long, Long> relative = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = RELATIVE.matcher(line);
            if (m.matches()) {
                relative.put(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16));
            }
        }
        return new LinkedWords(binary, ToolchainTruth.sections(binary), relative);
    }

    /** Whether the address lies in a section with file data that is not code: where Go keeps its func values. */
    public boolean isData(long address) {
        return sections.stream().anyMatch(s -> s.contains(address) && !s.executable() && !s.type().equals("NOBITS"));
    }

    /** The link-time value of the word at address. */
    public long word(long address) {
        Long relocated = relative.get(address);
        if (relocated != null) {
            return relocated;
        }
        ToolchainTruth.Section s = sections.stream().filter(x -> x.contains(address) && !x.type().equals("NOBITS"))
                .findFirst().orElseThrow(() -> new AssertionError("no section of " + binary + " holds 0x"
                        + Long.toHexString(address)));
        try (RandomAccessFile file = new RandomAccessFile(binary.toFile(), "r")) {
            file.seek(s.offset() + address - s.address());
            return Long.reverseBytes(file.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
