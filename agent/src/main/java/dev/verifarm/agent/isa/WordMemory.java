package dev.verifarm.agent.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the walk wrote to one kind of memory (the stub's stack, or the image), by address or offset. Only an
 * 8-byte write of a followed value can be read back, by an 8-byte read at the same place that no other write
 * overlaps (a later write at the same place replaces it), so a read gets exactly what was written or nothing
 * known.
 */
final class WordMemory {

    /** The widest store either architecture has (AVX-512), so any write that can overlap a key starts after this. */
    private static final int WIDEST = 64;

    private record Write(int width, SymbolicValue value) {
    }

    private final TreeMap<Long, Write> writes = new TreeMap<>();
    private boolean clobbered;

    void write(long key, int width, SymbolicValue value) {
        writes.put(key, new Write(width, width == Long.BYTES ? value : SymbolicValue.UNKNOWN));
    }

    /**
     * What an access of width bytes at key reads, when the walk wrote there: the value, or unknown after a write
     * of another width or place that overlaps it, or after a write through a pointer the walk did not follow that
     * nothing has overwritten since. Empty when nothing was written there.
     */
    Optional<SymbolicValue> read(long key, int width) {
        List<Long> near = overlapping(key, width);
        if (near.isEmpty()) {
            return clobbered ? Optional.of(SymbolicValue.UNKNOWN) : Optional.empty();
        }
        Write exact = writes.get(key);
        return Optional.of(near.size() == 1 && exact != null && exact.width() == width
                ? exact.value() : SymbolicValue.UNKNOWN);
    }

    /** A write through a pointer the walk did not follow: it may have hit any word written before it. */
    void clobber() {
        writes.clear();
        clobbered = true;
    }

    /** The keys of the writes that share a byte with [key, key + width). */
    private List<Long> overlapping(long key, int width) {
        // saturate rather than wrap: a hostile frame may sit at either end of the number line
        long from = key < Long.MIN_VALUE + WIDEST ? Long.MIN_VALUE : key - WIDEST + 1;
        long to = key > Long.MAX_VALUE - width ? Long.MAX_VALUE : key + width - 1;
        List<Long> out = new ArrayList<>();
        writes.subMap(from, true, to, true).forEach((k, w) -> {
            if (k + w.width() > key) {
                out.add(k);
            }
        });
        return out;
    }
}
