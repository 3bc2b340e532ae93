package dev.verifarm.agent.check.hazard;

import dev.verifarm.agent.check.artifact.Artifact;
import dev.verifarm.agent.elf.DataWord;
import dev.verifarm.agent.elf.DataWords;
import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.symbols.SymbolOffset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names the data words that hold a func value. A package-level variable names its own words; the backing array of a
 * slice literal ({@code []interface{}{swapUint32}}) has no symbol, or only the compiler's {@code ..stmp_N}, so it is
 * named by the variable whose slice header points at the start of that array, a few elements before the word.
 */
final class HolderNames {

    /** How far before a word its array may start: sixteen 8-byte or eight interface elements. */
    private static final int ELEMENTS_BACK = 16;
    /** Unnamed holders looked up, so a hostile file cannot make the extra pass large. */
    private static final int MAX_LOOKED_UP = HazardScan.MAX_LISTED;

    private final Map<Long, String> names = new HashMap<>();

    private HolderNames() {
    }

    /** The names of the holders, one extra pass over the data when some lack a symbol of their own. */
    static HolderNames of(Artifact artifact, DataWords words, List<DataWord> holders) throws ElfFormatException {
        HolderNames out = new HolderNames();
        List<Long> unnamed = new ArrayList<>();
        for (DataWord h : holders) {
            Optional<SymbolOffset> s = artifact.symbols().locate(h.address());
            if (s.isPresent() && !anonymous(s.get().symbol())) {
                out.names.put(h.address(), s.get().symbol());
            } else {
                out.names.put(h.address(), s.map(SymbolOffset::toString).orElse("0x" + Long.toHexString(h.address())));
                if (artifact.symbols().hasSymtab() && unnamed.size() < MAX_LOOKED_UP) {
                    unnamed.add(h.address());
                }
            }
        }
        if (!unnamed.isEmpty()) {
            out.nameArrays(artifact, words, unnamed);
        }
        return out;
    }

    String name(long holder) {
        return names.get(holder);
    }

    /** Each unnamed word takes the name of the variable that points nearest before it. */
    private void nameArrays(Artifact artifact, DataWords words, List<Long> unnamed) throws ElfFormatException {
        List<Long> starts = new ArrayList<>();
        for (long a : unnamed) {
            for (int k = 0; k <= ELEMENTS_BACK; k++) {
                starts.add(a - 8L * k);
            }
        }
        Map<Long, String> pointedBy = new HashMap<>();
        for (DataWord pointer : words.pointingAt(starts)) {
            artifact.symbols().locate(pointer.address()).map(SymbolOffset::symbol).filter(n -> !anonymous(n))
                    .ifPresent(n -> pointedBy.putIfAbsent(pointer.value(), n));
        }
        for (long a : unnamed) {
            for (int k = 0; k <= ELEMENTS_BACK; k++) {
                String variable = pointedBy.get(a - 8L * k);
                if (variable != null) {
                    names.put(a, variable);
                    break;
                }
            }
        }
    }

    /** A section name, or a static temporary the compiler made for a literal. */
    private static boolean anonymous(String symbol) {
        return symbol.startsWith(".") || symbol.contains("..stmp_");
    }
}
