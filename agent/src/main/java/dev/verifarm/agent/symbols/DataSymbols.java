package dev.verifarm.agent.symbols;

import dev.verifarm.agent.elf.ElfFile;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.elf.ElfSymbol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named data of .symtab (STT_OBJECT symbols: Go variables, assembly GLOBLs, func value words), by name and
 * by address. A stripped binary has none: .gopclntab names functions only.
 */
public final class DataSymbols {

    private final Map<String, List<ElfSymbol>> byName = new HashMap<>();
    private final Map<Long, String> byAddress = new HashMap<>();

    private DataSymbols(List<ElfSymbol> symbols) {
        for (ElfSymbol s : symbols) {
            if (s.type() == ElfSymbol.STT_OBJECT && s.isDefined() && !s.name().isEmpty()) {
                byName.computeIfAbsent(s.name(), n -> new java.util.ArrayList<>()).add(s);
                byAddress.putIfAbsent(s.value(), s.name());
            }
        }
    }

    public static DataSymbols of(ElfFile elf) throws ElfFormatException {
        return new DataSymbols(elf.symbols());
    }

    /** Whether any data symbol has a name: false in a stripped binary. */
    public boolean any() {
        return !byName.isEmpty();
    }

    /**
     * The data symbol of that exact name.
     *
     * @throws UnknownSymbolException when there is none, or several
     */
    public ElfSymbol named(String name) throws UnknownSymbolException {
        List<ElfSymbol> found = byName.getOrDefault(name, List.of());
        if (found.size() != 1) {
            throw new UnknownSymbolException(found.isEmpty() ? "no data symbol " + name + " in .symtab"
                    : name + " names " + found.size() + " data symbols");
        }
        return found.get(0);
    }

    /** The name of the data symbol that starts at address, if one does. */
    public Optional<String> startingAt(long address) {
        return Optional.ofNullable(byAddress.get(address));
    }
}
