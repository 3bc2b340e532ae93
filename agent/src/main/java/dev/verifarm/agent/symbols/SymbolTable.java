package dev.verifarm.agent.symbols;

import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.ElfSymbol;
import dev.verifarm.agent.elf.SectionHeader;
import dev.verifarm.agent.gosym.FuncEntry;
import dev.verifarm.agent.gosym.Pclntab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names for addresses and addresses for names, from .symtab where the file has one and from .gopclntab
 * where it was stripped; addresses no symbol covers are named by their section.
 */
public final class SymbolTable {

    private final ElfFile elf;
    private final Optional<Pclntab> pclntab;
    private final ElfSymbol[] sized;
    private final long[] starts;
    private final Map<String, List<ElfSymbol>> functionsByName;

    private SymbolTable(ElfFile elf, Optional<Pclntab> pclntab, ElfSymbol[] sized,
                        Map<String, List<ElfSymbol>> functionsByName) {
        this.elf = elf;
        this.pclntab = pclntab;
        this.sized = sized;
        this.starts = Arrays.stream(sized).mapToLong(ElfSymbol::value).toArray();
        this.functionsByName = functionsByName;
    }

    public static SymbolTable of(ElfFile elf, Optional<Pclntab> pclntab) throws ElfFormatException {
        List<ElfSymbol> symbols = elf.symbols();
        List<ElfSymbol> sized = new ArrayList<>(symbols.size());
        Map<String, List<ElfSymbol>> functions = new HashMap<>();
        for (ElfSymbol s : symbols) {
            if (!s.isDefined() || s.value() == 0) {
                continue;
            }
            if (s.isFunction()) {
                functions.computeIfAbsent(s.name(), k -> new ArrayList<>(1)).add(s);
            }
            if (s.size() > 0 && (s.isFunction() || s.type() == ElfSymbol.STT_OBJECT)) {
                sized.add(s);
            }
        }
        sized.sort(Comparator.comparingLong(ElfSymbol::value));
        return new SymbolTable(elf, pclntab, sized.toArray(ElfSymbol[]::new), functions);
    }

    /** Whether names come from .symtab; false for a stripped file. */
    public boolean hasSymtab() {
        return !functionsByName.isEmpty();
    }

    public Optional<Pclntab> pclntab() {
        return pclntab;
    }

    /** .symtab functions with exactly this name. */
    public List<CodeSymbol> symtabFunctions(String name) {
        List<CodeSymbol> out = new ArrayList<>();
        for (ElfSymbol s : functionsByName.getOrDefault(name, List.of())) {
            out.add(new CodeSymbol(s.name(), s.value(), s.size(), CodeSymbol.Source.SYMTAB));
        }
        return out;
    }

    /** Every function: .symtab's when the file has one, else .gopclntab's; in address order. */
    public List<CodeSymbol> functions() {
        List<CodeSymbol> out = new ArrayList<>();
        if (hasSymtab()) {
            for (ElfSymbol s : sized) {
                if (s.isFunction()) {
                    out.add(new CodeSymbol(s.name(), s.value(), s.size(), CodeSymbol.Source.SYMTAB));
                }
            }
        } else {
            pclntab.ifPresent(t -> t.functions().forEach(f ->
                    out.add(new CodeSymbol(f.name(), f.entry(), f.length(), CodeSymbol.Source.PCLNTAB))));
        }
        return out;
    }

    /** Every .symtab function name, for discovery. */
    public Iterable<String> symtabFunctionNames() {
        return functionsByName.keySet();
    }

    /** The symbol covering the address, as symbol+offset: .symtab first, then .gopclntab, then the section. */
    public Optional<SymbolOffset> locate(long address) {
        int i = Arrays.binarySearch(starts, address);
        if (i < 0) {
            i = -i - 2;
        } else {
            while (i + 1 < starts.length && starts[i + 1] == address) {
                i++; // of several symbols at one address, the last sorted one: deterministic
            }
        }
        for (int j = i; j >= 0 && j > i - 8; j--) {
            ElfSymbol s = sized[j];
            if (Long.compareUnsigned(address - s.value(), s.size()) < 0) {
                return Optional.of(new SymbolOffset(s.name(), address - s.value()));
            }
        }
        if (pclntab.isPresent()) {
            Optional<FuncEntry> f = pclntab.get().lookup(address);
            if (f.isPresent()) {
                return Optional.of(new SymbolOffset(f.get().name(), address - f.get().entry()));
            }
        }
        for (SectionHeader s : elf.sections()) {
            if ((s.flags() & 0x2) != 0 && s.containsAddress(address)) {
                return Optional.of(new SymbolOffset(s.name(), address - s.addr()));
            }
        }
        return Optional.empty();
    }
}
