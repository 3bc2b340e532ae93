package dev.verifarm.agent.elf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every 8-byte aligned word of the allocated, non-executable PROGBITS sections ({@code .rodata},
 * {@code .noptrdata}, {@code .data}, {@code .data.rel.ro} and its siblings), with the value the loaded image
 * holds before any load bias: where a dynamic relocation fills the word (a PIE's {@code R_*_RELATIVE}), its
 * addend or symbol, else the file's bytes. Func values, itabs and assembly {@code DATA} words that hold code
 * addresses all live here.
 *
 * <p>Words are read from the file mapping on each query, never copied: a 50 MB binary holds millions of them,
 * and a scan for a handful of values touches each once.
 */
public final class DataWords {

    private static final long SHT_PROGBITS = 1;
    private static final long SHF_ALLOC = 0x2;
    /**
     * Addresses are compared as signed numbers throughout; sections are refused beyond this bound, which no
     * amd64 or arm64 user mapping reaches, so that order is also the address order.
     */
    private static final long USER_SPACE_END = Long.MAX_VALUE;

    private final List<Region> regions;
    /** Addresses of the words a dynamic relocation fills with a value known before run time, ascending. */
    private final long[] relocatedAddresses;
    /** That value, by the index of its address. */
    private final long[] relocatedValues;
    /** Addresses of words whose value only the dynamic loader knows (a shared library's symbol, TLS offsets). */
    private final long[] unknownAddresses;

    /** One data section and its file bytes. */
    private record Region(SectionHeader section, Bytes bytes) {

        long firstWord() {
            return (section.addr() + Long.BYTES - 1) & -Long.BYTES;
        }

        long end() {
            return section.addr() + section.size();
        }

        boolean holds(long address) {
            return address >= section.addr() && address <= end() - Long.BYTES;
        }
    }

    private DataWords(List<Region> regions, long[] relocatedAddresses, long[] relocatedValues, long[] unknownAddresses) {
        this.regions = regions;
        this.relocatedAddresses = relocatedAddresses;
        this.relocatedValues = relocatedValues;
        this.unknownAddresses = unknownAddresses;
    }

    /**
     * Reads the data sections and the dynamic relocations that fill their words.
     *
     * @throws ElfFormatException when a data section lies outside the user address space, or a relocation
     *                            names a dynamic symbol that does not exist
     */
    public static DataWords of(ElfFile elf) throws ElfFormatException {
        List<Region> regions = new ArrayList<>();
        for (SectionHeader s : elf.sections()) {
            if (s.type() != SHT_PROGBITS || (s.flags() & SHF_ALLOC) == 0 || s.executable() || s.size() == 0) {
                continue;
            }
            if (s.addr() < 0 || s.size() < 0 || s.addr() > USER_SPACE_END - s.size()) {
                throw new ElfFormatException(s.offset(), "data section " + s.name() + " at 0x" + Long.toHexString(s.addr())
                        + " of 0x" + Long.toHexString(s.size()) + " bytes does not lie in the lower half of the address"
                        + " space, where every amd64 and arm64 user program is loaded");
            }
            regions.add(new Region(s, elf.sectionData(s)));
        }
        regions.sort(Comparator.comparingLong(r -> r.section.addr()));
        return withRelocations(elf, Collections.unmodifiableList(regions));
    }

    private static DataWords withRelocations(ElfFile elf, List<Region> regions) throws ElfFormatException {
        List<DataWord> known = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        for (Relocation r : elf.dynamicRelocations().values()) {
            if (regions.stream().noneMatch(g -> g.holds(r.offset()))) {
                continue; // a GOT slot or a word outside the data sections: not one of ours
            }
            if (r.isRelative(elf.architecture())) {
                known.add(new DataWord("", r.offset(), r.addend()));
            } else if (r.isSymbolAddress(elf.architecture())) {
                ElfSymbol s = elf.relocationSymbol(r);
                if (s.isDefined()) {
                    known.add(new DataWord("", r.offset(), s.value() + r.addend()));
                } else {
                    unknown.add(r.offset());
                }
            } else {
                unknown.add(r.offset());
            }
        }
        known.sort(Comparator.comparingLong(DataWord::address));
        long[] addresses = new long[known.size()];
        long[] values = new long[known.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = known.get(i).address();
            values[i] = known.get(i).value();
        }
        long[] unknownAddresses = unknown.stream().mapToLong(Long::longValue).sorted().toArray();
        return new DataWords(regions, addresses, values, unknownAddresses);
    }

    /** The sections the words come from, by address. */
    public List<SectionHeader> sections() {
        return regions.stream().map(Region::section).toList();
    }

    /**
     * The word at address, when 8 bytes there lie in one data section and their value is known before run time.
     * The address need not be 8-byte aligned (a symbol's value is what a {@code data:} resolver asks about), though
     * {@link #pointingAt} only lists aligned words.
     *
     * @return empty when the address is in no data section, or the dynamic loader supplies the word's value
     *         (a shared library's symbol)
     */
    public Optional<DataWord> at(long address) throws ElfFormatException {
        for (Region region : regions) {
            if (region.holds(address)) {
                if (Arrays.binarySearch(unknownAddresses, address) >= 0) {
                    return Optional.empty();
                }
                int i = Arrays.binarySearch(relocatedAddresses, address);
                long value = i >= 0 ? relocatedValues[i] : region.bytes.u64(address - region.section.addr());
                return Optional.of(new DataWord(region.section.name(), address, value));
            }
        }
        return Optional.empty();
    }

    /** Whether the dynamic loader alone knows the word at address (a shared library's symbol, a TLS offset). */
    public boolean filledAtRunTime(long address) {
        return Arrays.binarySearch(unknownAddresses, address) >= 0;
    }

    /**
     * Every aligned word whose value is one of the given addresses, in address order: the func values, itab
     * entries and assembly data words that hold a function's entry, say.
     */
    public List<DataWord> pointingAt(Collection<Long> addresses) throws ElfFormatException {
        long[] wanted = addresses.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        List<DataWord> out = new ArrayList<>();
        if (wanted.length == 0) {
            return out;
        }
        long lowest = wanted[0];
        long highest = wanted[wanted.length - 1];
        for (Region region : regions) {
            long base = region.section.addr();
            int reloc = lowerBound(relocatedAddresses, region.firstWord());
            int unknown = lowerBound(unknownAddresses, region.firstWord());
            for (long address = region.firstWord(); region.holds(address); address += Long.BYTES) {
                // Relocations and words both ascend: advance through them in step instead of searching per word.
                while (reloc < relocatedAddresses.length && relocatedAddresses[reloc] < address) {
                    reloc++;
                }
                while (unknown < unknownAddresses.length && unknownAddresses[unknown] < address) {
                    unknown++;
                }
                if (unknown < unknownAddresses.length && unknownAddresses[unknown] == address) {
                    continue;
                }
                long value = reloc < relocatedAddresses.length && relocatedAddresses[reloc] == address
                        ? relocatedValues[reloc] : region.bytes.u64(address - base);
                if (value >= lowest && value <= highest && Arrays.binarySearch(wanted, value) >= 0) {
                    out.add(new DataWord(region.section.name(), address, value));
                }
            }
        }
        return out;
    }

    /** The index of the first element not below key. */
    private static int lowerBound(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : -i - 1;
    }
}
