package dev.verifarm.agent.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the Go toolchain and binutils say about a binary: the expected values
 * for tests, never computed by the code under test.
 */
public final class ToolchainTruth {
    // "  486ec0         36 T main.memcpyish.abi0"; undefined symbols have no address,
    // and externally linked arm64 binaries have nameless (mapping) symbols.
    private static final Pattern NM_LINE = Pattern.compile("^\\s*([0-9a-f]*)\\s+(\\d+)\\s+(\\S)(?: (.*))?$");
    // "TEXT main.memcpyish.abi0(SB) stubs/stubs_amd64.s" (no file when objdump finds no line table).
    private static final Pattern OBJDUMP_TEXT = Pattern.compile("^TEXT (\\S+)\\(SB\\)(?: (.*))?$");
    private static final Pattern READELF_LOAD = Pattern.compile(
            "^\\s*LOAD\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+0x\\p{XDigit}+\\s+0x(\\p{XDigit}+)\\s+0x(\\p{XDigit}+)\\s+(.*?)\\s+0x(\\p{XDigit}+)\\s*$");
    // "  [ 7] .gopclntab  PROGBITS  00000000004c2120 0c2120 059a40 00   A  0   0 32": entry size, flags (none for
    // .shstrtab), link, info, alignment after the size
    private static final Pattern READELF_SECTION = Pattern.compile(
            "^\\s*\\[\\s*(\\d+)]\\s+(\\S+)\\s+(\\S+)\\s+(\\p{XDigit}{8,})\\s+(\\p{XDigit}+)\\s+(\\p{XDigit}+)"
                    + "\\s+\\p{XDigit}{2,}\\s+([A-Za-z]*)\\s+\\d+\\s+\\d+\\s+\\d+\\s*$");

    private ToolchainTruth() {
    }

    /** One line of {@code go tool nm -size}. */
    public record NmSymbol(long address, long size, char type, String name) {
    }

    /**
     * One instruction line of {@code go tool objdump}, with the function it belongs to.
     *
     * @param hex the instruction's bytes in memory order (objdump itself prints arm64 instructions as
     *            32-bit words, most significant byte first; they are turned around here)
     */
    public record ObjdumpLine(String symbol, String file, int line, long address, String hex, String text) {
        public byte[] bytes() {
            return HexFormat.of().parseHex(hex);
        }

        public int length() {
            return hex.length() / 2;
        }
    }

    /** A PT_LOAD program header, as {@code readelf -lW} prints it. */
    public record LoadSegment(long offset, long vaddr, long fileSize, long memSize, String flags, long align) {
        public boolean contains(long address) {
            return address >= vaddr && address < vaddr + memSize;
        }
    }

    /**
     * A section header, as {@code readelf -SW} prints it.
     *
     * @param flags readelf's letters for sh_flags: {@code AX} for allocated code, {@code WA}, {@code MS}, ...
     */
    public record Section(int index, String name, String type, long address, long offset, long size, String flags) {
        /** SHF_EXECINSTR: readelf's X. */
        public boolean executable() {
            return flags.indexOf('X') >= 0;
        }

        public boolean contains(long address) {
            return this.address != 0 && address >= this.address && address - this.address < size;
        }
    }

    /**
     * Every symbol {@code go tool nm -size -sort address} lists, in address order.
     * A binary without a symbol table (linked with {@code -s}) has none: the list is empty.
     */
    public static List<NmSymbol> nmAll(Path binary) {
        ExternalCommand.Result r = GoFixtures.go(List.of("tool", "nm", "-size", "-sort", "address", binary.toString()));
        if (!r.succeeded()) {
            if (r.stderr().contains("no symbols")) {
                return List.of();
            }
            throw new IllegalStateException("go tool nm failed on " + binary + ": " + r.describe());
        }
        List<NmSymbol> symbols = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = NM_LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("unexpected go tool nm line for " + binary + ": " + line);
            }
            long address = m.group(1).isEmpty() ? 0 : Long.parseUnsignedLong(m.group(1), 16);
            symbols.add(new NmSymbol(address, Long.parseLong(m.group(2)), m.group(3).charAt(0),
                    m.group(4) == null ? "" : m.group(4)));
        }
        return List.copyOf(symbols);
    }

    /**
     * The symbols of {@link #nmAll} whose name occurs exactly once, by name. A name
     * that repeats (C file symbols, local C functions in externally linked
     * binaries) is left out rather than resolved to an arbitrary one of its
     * symbols: look those up in {@link #nmAll}.
     */
    public static Map<String, NmSymbol> nm(Path binary) {
        Map<String, List<NmSymbol>> byName = nmAll(binary).stream()
                .collect(Collectors.groupingBy(NmSymbol::name, LinkedHashMap::new, Collectors.toList()));
        Map<String, NmSymbol> unique = new LinkedHashMap<>();
        byName.forEach((name, symbols) -> {
            if (symbols.size() == 1) {
                unique.put(name, symbols.get(0));
            }
        });
        return unique;
    }

    /**
     * The names {@code X} that {@link #nm} lists as text symbols both as {@code X} and as {@code X.abi0}: an
     * assembly body beside its ABIInternal wrapper, or a Go function beside its ABI0 wrapper.
     */
    public static java.util.SortedSet<String> abiPairs(Path binary) {
        Map<String, NmSymbol> nm = nm(binary);
        return nm.keySet().stream()
                .filter(n -> n.endsWith(".abi0") && isText(nm.get(n)))
                .map(n -> n.substring(0, n.length() - ".abi0".length()))
                .filter(n -> nm.containsKey(n) && isText(nm.get(n)))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static boolean isText(NmSymbol s) {
        return Character.toUpperCase(s.type()) == 'T';
    }

    /** The instructions of every function matching {@code symbolRegex}, from {@code go tool objdump -s}. */
    public static List<ObjdumpLine> objdump(Path binary, String symbolRegex) {
        ExternalCommand.Result r = GoFixtures.go(List.of("tool", "objdump", "-s", symbolRegex, binary.toString()));
        if (!r.succeeded()) {
            throw new IllegalStateException("go tool objdump failed on " + binary + ": " + r.describe());
        }
        boolean wordsPrinted = elfHeader(binary).get("Machine").equals("AArch64");
        List<ObjdumpLine> lines = new ArrayList<>();
        String symbol = null;
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher text = OBJDUMP_TEXT.matcher(line);
            if (text.matches()) {
                symbol = text.group(1);
                continue;
            }
            // "  file.s:10\t0x486ec0\t\t488b7c2408\t\tMOVQ 0x8(SP), DI\t"
            List<String> fields = new ArrayList<>();
            for (String f : line.split("\t")) {
                if (!f.isBlank()) {
                    fields.add(f.strip());
                }
            }
            if (symbol == null || fields.size() < 4 || !fields.get(1).startsWith("0x")) {
                throw new IllegalStateException("unexpected go tool objdump line for " + binary + ": " + line);
            }
            String position = fields.get(0);
            int colon = position.lastIndexOf(':');
            lines.add(new ObjdumpLine(symbol, position.substring(0, colon),
                    Integer.parseInt(position.substring(colon + 1)),
                    Long.parseUnsignedLong(fields.get(1).substring(2), 16),
                    wordsPrinted ? littleEndianWords(fields.get(2)) : fields.get(2),
                    String.join(" ", fields.subList(3, fields.size()))));
        }
        return List.copyOf(lines);
    }

    /** The instructions of exactly the function {@code name}. */
    public static List<ObjdumpLine> objdumpFunction(Path binary, String name) {
        String regex = "^" + Pattern.quote(name) + "$";
        List<ObjdumpLine> lines = objdump(binary, regex);
        if (lines.isEmpty()) {
            throw new IllegalStateException("go tool objdump found no function " + name + " in " + binary);
        }
        return lines;
    }

    /** The PT_LOAD segments, from {@code readelf -lW}. */
    public static List<LoadSegment> loadSegments(Path binary) {
        ExternalCommand.Result r = readelf("-lW", binary);
        List<LoadSegment> segments = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = READELF_LOAD.matcher(line);
            if (m.matches()) {
                segments.add(new LoadSegment(hex(m.group(1)), hex(m.group(2)), hex(m.group(3)), hex(m.group(4)),
                        m.group(5).replace(" ", ""), hex(m.group(6))));
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalStateException("readelf found no PT_LOAD segment in " + binary);
        }
        return List.copyOf(segments);
    }

    /** The section headers, from {@code readelf -SW}; the null section 0 is left out. */
    public static List<Section> sections(Path binary) {
        ExternalCommand.Result r = readelf("-SW", binary);
        List<Section> sections = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = READELF_SECTION.matcher(line);
            if (m.matches() && !m.group(1).equals("0")) {
                sections.add(new Section(Integer.parseInt(m.group(1)), m.group(2), m.group(3),
                        hex(m.group(4)), hex(m.group(5)), hex(m.group(6)), m.group(7)));
            } else if (line.matches("^\\s*\\[\\s*[1-9]\\d*].*")) {
                throw new IllegalStateException("unexpected readelf -SW line for " + binary + ": " + line);
            }
        }
        return List.copyOf(sections);
    }

    /** Sections by name (section names are unique in the binaries we build and fetch). */
    public static Map<String, Section> sectionsByName(Path binary) {
        return sections(binary).stream()
                .collect(Collectors.toMap(Section::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    /** The ELF header's fields as {@code readelf -hW} names them, such as "Type" and "Machine". */
    public static Map<String, String> elfHeader(Path binary) {
        ExternalCommand.Result r = readelf("-hW", binary);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : r.stdout().split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.startsWith("  ")) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    private static ExternalCommand.Result readelf(String option, Path binary) {
        Path readelf = ExternalCommand.require("readelf", "install Debian's binutils");
        ExternalCommand.Result r = ExternalCommand.run(List.of(readelf.toString(), option, binary.toString()),
                null, Map.of(), java.time.Duration.ofMinutes(1));
        if (!r.succeeded()) {
            throw new IllegalStateException("readelf " + option + " failed on " + binary + ": " + r.describe());
        }
        return r;
    }

    /** "90000000" (the word 0x90000000) as the bytes memory holds: "00000090". */
    private static String littleEndianWords(String words) {
        StringBuilder out = new StringBuilder(words.length());
        for (int w = 0; w + 8 <= words.length(); w += 8) {
            for (int b = 6; b >= 0; b -= 2) {
                out.append(words, w + b, w + b + 2);
            }
        }
        return out.toString();
    }

    private static long hex(String digits) {
        return Long.parseUnsignedLong(digits, 16);
    }
}
