package dev.verifarm.agent.testing;

import dev.verifarm.agent.elf.Architecture;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.ProgramHeader;
import dev.verifarm.agent.elf.SectionHeader;
import dev.verifarm.agent.gosym.Pclntab;
import dev.verifarm.agent.isa.Disassembler;
import dev.verifarm.agent.isa.select.InstructionSets;
import dev.verifarm.agent.symbols.CodeSymbol;
import dev.verifarm.agent.symbols.GoFunction;
import dev.verifarm.agent.symbols.GoFunctions;
import dev.verifarm.agent.symbols.SymbolTable;
import dev.verifarm.agent.symbols.UnknownSymbolException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the structures a reader walks sit in one real, unmodified stubs fixture: the file offsets that
 * malformed-input tests and fuzzers corrupt, and the stub and body text a MATCH must rest on. Read with the
 * engine's own readers, which the toolchain-truth tests hold to {@code go tool nm} and readelf.
 */
public record ElfLayout(Path path, byte[] bytes, Architecture architecture, long phoff, int phnum, long shoff,
                        int shnum, int shstrndx, Optional<SectionHeader> symtab, Optional<SectionHeader> strtab,
                        SectionHeader pclntab, int textSegment, FileRange stub, FileRange body) {

    public static final String STUB = "main.addrOfMemcpyish";
    public static final String TARGET = "main.memcpyish";

    public static final int EHDR_SIZE = 64;
    public static final int PHDR_SIZE = 56;
    public static final int SHDR_SIZE = 64;
    public static final int SYM_SIZE = 24;

    /** Offsets of ELF header fields (Elf64_Ehdr). */
    public static final int E_IDENT_CLASS = 4;
    public static final int E_IDENT_DATA = 5;
    public static final int E_TYPE = 16;
    public static final int E_MACHINE = 18;
    public static final int E_PHOFF = 32;
    public static final int E_SHOFF = 40;
    public static final int E_PHENTSIZE = 54;
    public static final int E_PHNUM = 56;
    public static final int E_SHENTSIZE = 58;
    public static final int E_SHNUM = 60;
    public static final int E_SHSTRNDX = 62;

    /** Offsets inside an Elf64_Shdr and an Elf64_Phdr. */
    public static final int SH_LINK = 40;
    public static final int SH_OFFSET = 24;
    public static final int SH_SIZE = 32;
    public static final int P_OFFSET = 8;
    public static final int P_VADDR = 16;
    public static final int P_FILESZ = 32;

    /** Offsets in a Go 1.18+ pclntab header (runtime.pcHeader). */
    public static final int PCLN_NFUNC = 8;
    public static final int PCLN_TEXT_START = 24;
    public static final int PCLN_FUNCNAME_OFFSET = 32;
    public static final int PCLN_PCLN_OFFSET = 64;

    /** A byte range in the file and the address it is loaded at. */
    public record FileRange(long offset, long length, long address) {
        public long end() {
            return offset + length;
        }
    }

    private static final Map<Path, ElfLayout> CACHE = new ConcurrentHashMap<>();

    /** The layout of the stubs fixture for arch and variant, building it if needed. */
    public static ElfLayout stubs(GoArch arch, BuildVariant variant) {
        return of(GoFixtures.build("stubs", arch, variant));
    }

    public static ElfLayout of(Path fixture) {
        return CACHE.computeIfAbsent(fixture, ElfLayout::read);
    }

    private static ElfLayout read(Path path) {
        try {
            byte[] bytes = Files.readAllBytes(path);
            ElfFile elf = ElfFile.open(path);
            SymbolTable symbols = SymbolTable.of(elf, Pclntab.find(elf));
            GoFunctions functions = new GoFunctions(elf, symbols, Disassembler.forArchitecture(elf.architecture()),
                    InstructionSets.of(elf.architecture()));
            SectionHeader pclntab = elf.section(".gopclntab").or(() -> elf.section(".data.rel.ro.gopclntab"))
                    .orElseThrow(() -> new IllegalStateException(path + " has no pclntab section"));
            Optional<SectionHeader> symtab = elf.sections().stream().filter(s -> s.type() == SectionHeader.SHT_SYMTAB)
                    .findFirst();
            Optional<SectionHeader> strtab = symtab.map(s -> elf.sections().get(s.link()));
            int textSegment = -1;
            for (int i = 0; i < elf.segments().size(); i++) {
                ProgramHeader ph = elf.segments().get(i);
                if (ph.isLoad() && ph.executable()) {
                    textSegment = i;
                }
            }
            GoFunction target = functions.resolve(TARGET);
            CodeSymbol stub = functions.resolve(STUB).body();
            ElfLayout layout = new ElfLayout(path, bytes, elf.architecture(), u64(bytes, E_PHOFF), u16(bytes, E_PHNUM),
                    u64(bytes, E_SHOFF), u16(bytes, E_SHNUM), u16(bytes, E_SHSTRNDX), symtab, strtab, pclntab,
                    textSegment, range(elf, stub), range(elf, target.body()));
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ElfFormatException | UnknownSymbolException e) {
            throw new IllegalStateException("the unmodified fixture " + path + " must read cleanly", e);
        }
    }

    private static FileRange range(ElfFile elf, CodeSymbol symbol) {
        for (ProgramHeader ph : elf.segments()) {
            if (ph.isLoad() && ph.backs(symbol.address(), symbol.size())) {
                return new FileRange(ph.offset() + symbol.address() - ph.vaddr(), symbol.size(), symbol.address());
            }
        }
        throw new IllegalStateException(symbol + " is not backed by the file");
    }

    /** A fresh copy of the fixture's bytes, to mutate. */
    public byte[] copy() {
        return bytes.clone();
    }

    public long size() {
        return bytes.length;
    }

    public long sectionHeader(SectionHeader s) {
        return shoff + (long) s.index() * SHDR_SIZE;
    }

    public long programHeader(int index) {
        return phoff + (long) index * PHDR_SIZE;
    }

    /** The file offset of the pclntab's first byte (its magic). */
    public long pclntabStart() {
        return pclntab.offset();
    }

    /** The pclntab fuzzer's windows: the header, the function table, the function name table, the last 256 bytes. */
    public static final int PCLNTAB_WINDOWS = 4;

    /** The file offset where pclntab window w starts. */
    public long pclntabWindow(int window) {
        long pcln = pclntabStart();
        return switch (window) {
            case 0 -> pcln;
            case 1 -> pcln + u64(bytes, (int) pcln + PCLN_PCLN_OFFSET);
            case 2 -> pcln + u64(bytes, (int) pcln + PCLN_FUNCNAME_OFFSET);
            default -> pclntab.offset() + pclntab.size() - 256;
        };
    }

    /** The file offset of the .symtab entry of the named symbol (exact name). */
    public long symbolEntry(String name) {
        SectionHeader s = symtab.orElseThrow(() -> new IllegalStateException(path + " is stripped"));
        SectionHeader names = strtab.orElseThrow();
        byte[] wanted = (name + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (long o = s.offset() + SYM_SIZE; o + SYM_SIZE <= s.offset() + s.size(); o += SYM_SIZE) {
            long at = names.offset() + u32(bytes, (int) o);
            if (at + wanted.length <= bytes.length
                    && Arrays.equals(bytes, (int) at, (int) at + wanted.length, wanted, 0, wanted.length)) {
                return o;
            }
        }
        throw new IllegalStateException(path + " has no symbol " + name);
    }

    public static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    public static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xffffffffL;
    }

    public static long u64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }

    public static void put(byte[] b, long at, long value, int width) {
        for (int i = 0; i < width && at + i < b.length; i++) {
            b[(int) at + i] = (byte) (value >>> (8 * i));
        }
    }
}
