package dev.verifarm.agent.elf;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A table of NUL-terminated names read by offset: .shstrtab, .strtab, .dynstr, the pclntab's function
 * names. Each offset is decoded once, and all decoding together may read only a small multiple of the
 * table's size: a hostile table whose entries all point into one long unterminated run would otherwise
 * cost time and memory quadratic in the file size.
 */
public final class StringTable {

    /** Linkers share suffixes ("foo" inside "barfoo"), so names may overlap a little, never by this much. */
    private static final long OVERLAP_FACTOR = 4;
    private static final long MIN_BUDGET = 1 << 20;

    private final Bytes data;
    private final String what;
    private final Map<Long, String> decoded = new HashMap<>();
    private long budget;

    public StringTable(Bytes data, String what) {
        this.data = data;
        this.what = what;
        this.budget = Math.max(MIN_BUDGET, OVERLAP_FACTOR * data.size());
    }

    /** The name at offset. */
    public String at(long offset) throws ElfFormatException {
        String name = decoded.get(offset);
        if (name != null) {
            return name;
        }
        byte[] raw = data.cstring(offset, budget, what);
        budget -= raw.length + 1;
        name = new String(raw, StandardCharsets.UTF_8);
        decoded.put(offset, name);
        return name;
    }
}
