package dev.verifarm.agent.elf;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A 64-bit little-endian ELF file (amd64 or arm64), read through a memory mapping so that large
 * binaries cost address space, not heap. {@link #open} validates the headers and returns a complete
 * object or throws; nothing half-built escapes.
 */
public final class ElfFile {

    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;

    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int RELA_SIZE = 24;

    private final Path path;
    private final Bytes file;
    private final Architecture architecture;
    private final int type;
    private final long entry;
    private final List<ProgramHeader> segments;
    private final List<SectionHeader> sections;
    private List<ElfSymbol> symbols;
    private List<ElfSymbol> dynamicSymbols;
    private Map<Long, Relocation> relocationsByOffset;

    private ElfFile(Path path, Bytes file, Architecture architecture, int type, long entry,
                    List<ProgramHeader> segments, List<SectionHeader> sections) {
        this.path = path;
        this.file = file;
        this.architecture = architecture;
        this.type = type;
        this.entry = entry;
        this.segments = segments;
        this.sections = sections;
    }

    public static ElfFile open(Path path) throws IOException, ElfFormatException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(0, "file is " + size + " bytes; files over 2 GiB are not supported");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return parse(path, Bytes.of(mapped));
        }
    }

    /** Parses an in-memory image; used for uploads already held in memory and by the fuzzers. */
    public static ElfFile parse(Path name, Bytes file) throws ElfFormatException {
        if (file.size() < 4 || file.u8(0) != 0x7f || file.u8(1) != 'E' || file.u8(2) != 'L' || file.u8(3) != 'F') {
            throw new ElfFormatException(0, "not an ELF file (no \\x7fELF magic)");
        }
        if (file.size() < 16) {
            throw new ElfFormatException(0, "file is " + file.size() + " bytes, shorter than the 16-byte ELF identification");
        }
        int elfClass = file.u8(4);
        if (elfClass != 2) {
            throw new ElfFormatException(4, elfClass == 1
                    ? "32-bit ELF (ELFCLASS32) is not supported; only 64-bit amd64 and arm64 files are"
                    : "unknown ELF class " + elfClass);
        }
        int data = file.u8(5);
        if (data != 1) {
            throw new ElfFormatException(5, data == 2
                    ? "big-endian ELF (ELFDATA2MSB) is not supported; only little-endian files are"
                    : "unknown ELF data encoding " + data);
        }
        if (file.size() < EHDR_SIZE) {
            throw new ElfFormatException(0, "file is " + file.size() + " bytes, shorter than the 64-byte ELF header");
        }
        int type = file.u16(16);
        int machine = file.u16(18);
        Architecture architecture = Architecture.ofElfMachine(machine).orElseThrow(() -> new ElfFormatException(18,
                "unsupported machine e_machine=" + machine + "; only EM_X86_64 (62) and EM_AARCH64 (183) are"));
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ElfFormatException(16, "e_type=" + type + " is not an executable (ET_EXEC) or PIE (ET_DYN)");
        }
        long entry = file.u64(24);
        List<ProgramHeader> segments = readSegments(file);
        List<SectionHeader> sections = readSections(file);
        return new ElfFile(name, file, architecture, type, entry, segments, sections);
    }

    private static List<ProgramHeader> readSegments(Bytes file) throws ElfFormatException {
        long phoff = file.u64(32);
        int phentsize = file.u16(54);
        int phnum = file.u16(56);
        if (phnum == 0) {
            return List.of();
        }
        if (phentsize != PHDR_SIZE) {
            throw new ElfFormatException(54, "e_phentsize=" + phentsize + ", expected " + PHDR_SIZE);
        }
        Bytes table = file.slice(phoff, (long) phnum * PHDR_SIZE, "program header table");
        List<ProgramHeader> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            long o = (long) i * PHDR_SIZE;
            ProgramHeader ph = new ProgramHeader((int) table.u32(o), (int) table.u32(o + 4), table.u64(o + 8),
                    table.u64(o + 16), table.u64(o + 32), table.u64(o + 40), table.u64(o + 48));
            if (ph.isLoad() && (ph.offset() < 0 || ph.filesz() < 0 || ph.offset() > file.size() - ph.filesz())) {
                throw new ElfFormatException(phoff + o, "PT_LOAD segment " + i + " claims file bytes [0x"
                        + Long.toHexString(ph.offset()) + ", +0x" + Long.toHexString(ph.filesz())
                        + ") past the end of the " + file.size() + "-byte file");
            }
            out.add(ph);
        }
        return Collections.unmodifiableList(out);
    }

    private static List<SectionHeader> readSections(Bytes file) throws ElfFormatException {
        long shoff = file.u64(40);
        int shentsize = file.u16(58);
        int shnum = file.u16(60);
        int shstrndx = file.u16(62);
        if (shnum == 0) {
            return List.of();
        }
        if (shentsize != SHDR_SIZE) {
            throw new ElfFormatException(58, "e_shentsize=" + shentsize + ", expected " + SHDR_SIZE);
        }
        Bytes table = file.slice(shoff, (long) shnum * SHDR_SIZE, "section header table");
        if (shstrndx >= shnum) {
            throw new ElfFormatException(62, "e_shstrndx=" + shstrndx + " but there are only " + shnum + " sections");
        }
        long strOff = shstrndx * (long) SHDR_SIZE;
        StringTable names = new StringTable(file.slice(table.u64(strOff + 24), table.u64(strOff + 32),
                "section name table"), "section name");
        List<SectionHeader> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long o = (long) i * SHDR_SIZE;
            int type = (int) table.u32(o + 4);
            long offset = table.u64(o + 24);
            long size = table.u64(o + 32);
            String name = i == 0 ? "" : names.at(table.u32(o));
            if (type != SectionHeader.SHT_NOBITS && i != 0
                    && (offset < 0 || size < 0 || offset > file.size() - size)) {
                throw new ElfFormatException(shoff + o, "section " + name + " claims file bytes [0x"
                        + Long.toHexString(offset) + ", +0x" + Long.toHexString(size) + ") past the end of the "
                        + file.size() + "-byte file");
            }
            out.add(new SectionHeader(i, name, type, table.u64(o + 8), table.u64(o + 16), offset, size,
                    (int) table.u32(o + 40), (int) table.u32(o + 44), table.u64(o + 48), table.u64(o + 56)));
        }
        return Collections.unmodifiableList(out);
    }

    public Path path() {
        return path;
    }

    public long size() {
        return file.size();
    }

    public Architecture architecture() {
        return architecture;
    }

    /** Whether the file is position independent (ET_DYN), so runtime addresses carry a load bias. */
    public boolean isPie() {
        return type == ET_DYN;
    }

    public long entry() {
        return entry;
    }

    public List<ProgramHeader> segments() {
        return segments;
    }

    public List<SectionHeader> sections() {
        return sections;
    }

    public Optional<SectionHeader> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The file bytes of a section. */
    public Bytes sectionData(SectionHeader section) throws ElfFormatException {
        if (!section.hasFileData()) {
            throw new ElfFormatException(section.offset(), "section " + section.name() + " has no file data (SHT_NOBITS)");
        }
        return file.slice(section.offset(), section.size(), "section " + section.name());
    }

    /** The whole file, for readers that locate structures by their magic. */
    public Bytes contents() {
        return file;
    }

    /**
     * The file bytes that a PT_LOAD segment maps at [address, address+length): the symbol-table text of
     * a function is read this way, never through section headers a hostile file could misplace.
     */
    public Bytes bytesAt(long address, long length) throws ElfFormatException {
        for (ProgramHeader ph : segments) {
            if (ph.isLoad() && ph.backs(address, length)) {
                return file.slice(ph.offset() + (address - ph.vaddr()), length,
                        "bytes at address 0x" + Long.toHexString(address));
            }
        }
        throw new ElfFormatException(0, "address range [0x" + Long.toHexString(address) + ", +0x"
                + Long.toHexString(length) + ") is not backed by the file in any PT_LOAD segment");
    }

    /**
     * Whether the address lies in code: in a section flagged SHF_EXECINSTR. The executable PT_LOAD segment is not
     * enough, since externally linked binaries map .rodata into it too; only a file without section headers falls
     * back to it.
     */
    public boolean isCodeAddress(long address) {
        if (sections.isEmpty()) {
            return segments.stream().anyMatch(ph -> ph.isLoad() && ph.executable() && ph.backs(address, 1));
        }
        return sections.stream().anyMatch(s -> s.executable() && s.containsAddress(address));
    }

    /** .symtab, or an empty list for a stripped file. */
    public synchronized List<ElfSymbol> symbols() throws ElfFormatException {
        if (symbols == null) {
            symbols = readSymbols(SectionHeader.SHT_SYMTAB);
        }
        return symbols;
    }

    /** .dynsym, or an empty list for a static file. */
    public synchronized List<ElfSymbol> dynamicSymbols() throws ElfFormatException {
        if (dynamicSymbols == null) {
            dynamicSymbols = readSymbols(SectionHeader.SHT_DYNSYM);
        }
        return dynamicSymbols;
    }

    private List<ElfSymbol> readSymbols(int sectionType) throws ElfFormatException {
        Optional<SectionHeader> table = sections.stream().filter(s -> s.type() == sectionType).findFirst();
        if (table.isEmpty()) {
            return List.of();
        }
        SectionHeader sh = table.get();
        if (sh.link() <= 0 || sh.link() >= sections.size()) {
            throw new ElfFormatException(sh.offset(), sh.name() + " links to string table " + sh.link()
                    + ", which does not exist");
        }
        Bytes data = sectionData(sh);
        StringTable strings = new StringTable(sectionData(sections.get(sh.link())), sh.name() + " symbol name");
        int count = (int) (data.size() / SYM_SIZE);
        List<ElfSymbol> out = new ArrayList<>(count);
        for (int i = 1; i < count; i++) {
            long o = (long) i * SYM_SIZE;
            long nameOff = data.u32(o);
            out.add(new ElfSymbol(strings.at(nameOff), data.u8(o + 4), data.u16(o + 6), data.u64(o + 8),
                    data.u64(o + 16)));
        }
        return Collections.unmodifiableList(out);
    }

    /** Every dynamic relocation (SHT_RELA sections that relocate the loaded image), by the address it patches. */
    public synchronized Map<Long, Relocation> dynamicRelocations() throws ElfFormatException {
        if (relocationsByOffset == null) {
            Map<Long, Relocation> out = new HashMap<>();
            for (SectionHeader sh : sections) {
                if (sh.type() != SectionHeader.SHT_RELA || (sh.flags() & 0x2) == 0) {
                    continue; // only allocated RELA sections are applied at load time
                }
                Bytes data = sectionData(sh);
                for (long o = 0; o + RELA_SIZE <= data.size(); o += RELA_SIZE) {
                    long info = data.u64(o + 8);
                    Relocation r = new Relocation(data.u64(o), (int) info, (int) (info >>> 32), data.u64(o + 16));
                    out.put(r.offset(), r);
                }
            }
            relocationsByOffset = Collections.unmodifiableMap(out);
        }
        return relocationsByOffset;
    }

    /**
     * The 64-bit word the loaded image holds at address: the addend of a RELATIVE relocation (the link-time
     * value; a PIE stores zero in the file), the symbol address of a GLOB_DAT/ABS64 one, else the file's bytes.
     */
    public long loadedWord(long address) throws ElfFormatException {
        Relocation r = dynamicRelocations().get(address);
        if (r != null) {
            if (r.isRelative(architecture)) {
                return r.addend();
            }
            if (r.isSymbolAddress(architecture)) {
                ElfSymbol s = relocationSymbol(r);
                if (!s.isDefined()) {
                    throw new ElfFormatException(0, "relocation at 0x" + Long.toHexString(address)
                            + " names " + s.name() + ", which is resolved from a shared library at run time");
                }
                return s.value() + r.addend();
            }
        }
        return bytesAt(address, 8).u64(0);
    }

    /** The .dynsym entry a symbol-address relocation names. */
    ElfSymbol relocationSymbol(Relocation r) throws ElfFormatException {
        List<ElfSymbol> dyn = dynamicSymbols();
        if (r.symbolIndex() <= 0 || r.symbolIndex() > dyn.size()) {
            throw new ElfFormatException(0, "relocation at 0x" + Long.toHexString(r.offset())
                    + " names dynamic symbol " + r.symbolIndex() + ", which does not exist");
        }
        return dyn.get(r.symbolIndex() - 1);
    }
}
