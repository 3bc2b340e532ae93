package dev.verifarm.agent.gosym;

import dev.verifarm.agent.elf.Bytes;
import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.ElfSymbol;
import dev.verifarm.agent.elf.SectionHeader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Go's function table (.gopclntab), what {@code runtime.FuncForPC} reads and what a stripped binary
 * still has. Formats of Go 1.2 to 1.22+, little-endian, 64-bit, after Go's {@code debug/gosym}.
 * Names repeat (a body and its ABI wrapper, generic shapes), so lookups by name return every entry.
 */
public final class Pclntab {

    private static final List<String> SECTION_NAMES = List.of(".gopclntab", ".data.rel.ro.gopclntab");
    private static final List<String> SCANNED_SECTIONS = List.of(".data.rel.ro", ".rodata", ".noptrdata");

    private final PclntabVersion version;
    private final long address;
    private final List<FuncEntry> functions;
    private final Map<String, List<FuncEntry>> byName;

    private Pclntab(PclntabVersion version, long address, List<FuncEntry> functions) {
        this.version = version;
        this.address = address;
        this.functions = functions;
        Map<String, List<FuncEntry>> index = new HashMap<>(functions.size() * 2);
        for (FuncEntry f : functions) {
            index.computeIfAbsent(f.name(), k -> new ArrayList<>(1)).add(f);
        }
        this.byName = index;
    }

    /**
     * Finds and parses the table: by section name, then by the {@code runtime.pclntab} symbol, then by its
     * magic inside the read-only data of externally linked PIEs, where it has no section of its own.
     */
    public static Optional<Pclntab> find(ElfFile elf) throws ElfFormatException {
        for (String name : SECTION_NAMES) {
            Optional<SectionHeader> s = elf.section(name);
            if (s.isPresent() && s.get().hasFileData()) {
                return Optional.of(parse(elf, elf.sectionData(s.get()), s.get().addr()));
            }
        }
        for (ElfSymbol sym : elf.symbols()) {
            if (sym.name().equals("runtime.pclntab") && sym.size() > 0) {
                return Optional.of(parse(elf, elf.bytesAt(sym.value(), sym.size()), sym.value()));
            }
        }
        for (String name : SCANNED_SECTIONS) {
            Optional<SectionHeader> s = elf.section(name);
            if (s.isPresent() && s.get().hasFileData()) {
                Optional<Pclntab> found = scan(elf, elf.sectionData(s.get()), s.get().addr());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Pclntab> scan(ElfFile elf, Bytes data, long sectionAddress) throws ElfFormatException {
        for (PclntabVersion v : PclntabVersion.values()) {
            byte[] magic = {(byte) v.magic(), (byte) (v.magic() >> 8), (byte) (v.magic() >> 16), (byte) (v.magic() >> 24)};
            for (long at = data.indexOf(magic, 0); at >= 0; at = data.indexOf(magic, at + 4)) {
                if (at % 8 == 0 && plausibleHeader(data, at)) {
                    Bytes candidate = data.slice(at, data.size() - at, "pclntab");
                    return Optional.of(parse(elf, candidate, sectionAddress + at));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean plausibleHeader(Bytes data, long at) throws ElfFormatException {
        if (data.size() - at < 16) {
            return false;
        }
        int quantum = data.u8(at + 6);
        return data.u8(at + 4) == 0 && data.u8(at + 5) == 0 && (quantum == 1 || quantum == 2 || quantum == 4)
                && data.u8(at + 7) == 8;
    }

    /** Parses a table whose first byte is at {@code address} in the loaded image. */
    static Pclntab parse(ElfFile elf, Bytes data, long address) throws ElfFormatException {
        long magic = data.u32(0);
        PclntabVersion version = PclntabVersion.ofMagic(magic).orElseThrow(() -> new ElfFormatException(
                data.fileOffset(), "unknown .gopclntab magic 0x" + Long.toHexString(magic)));
        if (!plausibleHeader(data, 0)) {
            throw new ElfFormatException(data.fileOffset() + 4, "pclntab header has bad padding, quantum "
                    + data.u8(6) + " or pointer size " + data.u8(7) + " (only 64-bit tables are supported)");
        }
        List<FuncEntry> functions = switch (version) {
            case GO_1_18, GO_1_20 -> readGo118(elf, data, address, version);
            case GO_1_16 -> readGo116(data);
            case GO_1_2 -> readGo12(data);
        };
        return new Pclntab(version, address, Collections.unmodifiableList(functions));
    }

    private static List<FuncEntry> readGo118(ElfFile elf, Bytes data, long address, PclntabVersion version)
            throws ElfFormatException {
        int nfunc = count(data, data.u64(8));
        long textStart = textStart(elf, data, address);
        Bytes names = data.slice(data.u64(32), data.size() - data.u64(32), "function name table");
        long pclnOffset = data.u64(64);
        Bytes funcs = data.slice(pclnOffset, data.size() - pclnOffset, "function table");
        int funcIdOffset = version == PclntabVersion.GO_1_20 ? 40 : 36;
        List<FuncEntry> out = new ArrayList<>(nfunc);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < nfunc; i++) {
            long entry = textStart + funcs.u32(8L * i);
            long end = textStart + funcs.u32(8L * (i + 1));
            long funcOff = funcs.u32(8L * i + 4);
            checkOrder(funcs, 8L * i, previous, entry, end);
            previous = entry;
            String name = names.cstring(funcs.i32(funcOff + 4) & 0xffffffffL);
            out.add(new FuncEntry(name, entry, end, funcs.u8(funcOff + funcIdOffset),
                    funcs.u8(funcOff + funcIdOffset + 1)));
        }
        return out;
    }

    private static List<FuncEntry> readGo116(Bytes data) throws ElfFormatException {
        Bytes names = data.slice(data.u64(24), data.size() - data.u64(24), "function name table");
        long pclnOffset = data.u64(56);
        Bytes funcs = data.slice(pclnOffset, data.size() - pclnOffset, "function table");
        return readPointerTable(count(data, data.u64(8)), funcs, funcs, names, true);
    }

    private static List<FuncEntry> readGo12(Bytes data) throws ElfFormatException {
        // funcID moved around between 1.2 and 1.15, so it is not read; names are offsets into the whole table
        return readPointerTable(count(data, data.u64(8)), data.slice(16, data.size() - 16, "function table"),
                data, data, false);
    }

    /**
     * The Go 1.2-1.17 function table: pairs of pointer-sized (entry, _func offset into funcData) words, the
     * last entry giving the end of the final function; each _func holds entry, then its name offset.
     */
    private static List<FuncEntry> readPointerTable(int nfunc, Bytes table, Bytes funcData, Bytes names,
                                                    boolean hasFuncId) throws ElfFormatException {
        List<FuncEntry> out = new ArrayList<>(nfunc);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < nfunc; i++) {
            long entry = table.u64(16L * i);
            long end = table.u64(16L * (i + 1));
            long funcOff = table.u64(16L * i + 8);
            checkOrder(table, 16L * i, previous, entry, end);
            previous = entry;
            String name = names.cstring(funcData.i32(funcOff + 8) & 0xffffffffL);
            out.add(hasFuncId ? new FuncEntry(name, entry, end, funcData.u8(funcOff + 40), funcData.u8(funcOff + 41))
                    : new FuncEntry(name, entry, end, 0, 0));
        }
        return out;
    }

    private static int count(Bytes data, long nfunc) throws ElfFormatException {
        if (nfunc < 0 || nfunc > data.size() / 8) {
            throw new ElfFormatException(data.fileOffset() + 8, "pclntab claims " + Long.toUnsignedString(nfunc)
                    + " functions, more than its " + data.size() + " bytes can hold");
        }
        return (int) nfunc;
    }

    private static void checkOrder(Bytes table, long at, long previous, long entry, long end)
            throws ElfFormatException {
        if (Long.compareUnsigned(entry, previous) < 0 && previous != Long.MIN_VALUE
                || Long.compareUnsigned(end, entry) < 0) {
            throw new ElfFormatException(table.fileOffset() + at, "function table is not sorted: entry 0x"
                    + Long.toHexString(entry) + " after 0x" + Long.toHexString(previous) + ", end 0x"
                    + Long.toHexString(end));
        }
    }

    /**
     * The base of the Go 1.18+ entry offsets. The header field is relocated at load time, so a PIE holds
     * zero in the file and the link-time value in its RELATIVE relocation; like debug/gosym, fall back to
     * runtime.text or .text when neither is there.
     */
    private static long textStart(ElfFile elf, Bytes data, long address) throws ElfFormatException {
        long inFile = data.u64(24);
        if (inFile != 0) {
            return inFile;
        }
        long relocated = elf.dynamicRelocations().containsKey(address + 24) ? elf.loadedWord(address + 24) : 0;
        if (relocated != 0) {
            return relocated;
        }
        for (ElfSymbol s : elf.symbols()) {
            if (s.name().equals("runtime.text")) {
                return s.value();
            }
        }
        return elf.section(".text").map(SectionHeader::addr).orElseThrow(() -> new ElfFormatException(
                data.fileOffset() + 24, "pclntab text start is zero and the file has no .text to fall back on"));
    }

    public PclntabVersion version() {
        return version;
    }

    /** The table's address in the loaded image. */
    public long address() {
        return address;
    }

    /** Every function, sorted by entry. */
    public List<FuncEntry> functions() {
        return functions;
    }

    /** Every entry carrying this name, in address order. */
    public List<FuncEntry> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The function whose [entry, end) covers the address, as runtime.FuncForPC would answer. */
    public Optional<FuncEntry> lookup(long address) {
        int lo = 0;
        int hi = functions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            FuncEntry f = functions.get(mid);
            if (Long.compareUnsigned(address, f.entry()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(address, f.end()) >= 0) {
                lo = mid + 1;
            } else {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Whether the table marks assembly bodies with the ASM flag (Go 1.18+). */
    public boolean marksAssembly() {
        return version.hasAsmFlag();
    }

    /** Whether this entry is an assembly body by its flag; meaningful only when {@link #marksAssembly()}. */
    public boolean isAssembly(FuncEntry f) {
        return version.hasAsmFlag() && f.asmFlag();
    }
}
