package dev.verifarm.agent.isa;

import java.util.Arrays;
import java.util.Collection;

/**
 * A fixed set of addresses, asked millions of times per scan whether it holds one: a sorted array with its bounds
 * checked first, so the common answer (no) costs two comparisons and no boxing.
 */
public final class AddressSet {

    private final long[] sorted;

    private AddressSet(long[] sorted) {
        this.sorted = sorted;
    }

    public static AddressSet of(Collection<Long> addresses) {
        return new AddressSet(addresses.stream().mapToLong(Long::longValue).sorted().distinct().toArray());
    }

    public boolean contains(long address) {
        int n = sorted.length;
        if (n == 0 || address < sorted[0] || address > sorted[n - 1]) {
            return false;
        }
        return Arrays.binarySearch(sorted, address) >= 0;
    }

    public boolean isEmpty() {
        return sorted.length == 0;
    }

    public int size() {
        return sorted.length;
    }

    /** The 4 KiB pages the addresses lie in: what an arm64 ADRP materialises before its ADD or load. */
    public AddressSet pages() {
        return new AddressSet(Arrays.stream(sorted).map(a -> a & ~0xfffL).distinct().toArray());
    }
}
