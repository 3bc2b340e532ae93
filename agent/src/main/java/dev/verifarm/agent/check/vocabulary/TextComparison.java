package dev.verifarm.agent.check.vocabulary;

import java.util.OptionalLong;

/**
 * How a copied range compares with the symbol-table target text.
 *
 * @param begin           first copied address (file addresses)
 * @param end             first address past the copy
 * @param bodySize        the target's size; the first bodySize copied bytes must equal the target text
 * @param firstDifference offset into the copy of the first byte that differs from the target text, if any
 * @param paddingBytes    bytes after the body, which may only be alignment padding
 * @param paddingClean    whether all of them are padding (0xCC/0x00 on amd64, zero words on arm64)
 */
public record TextComparison(long begin, long end, long bodySize, OptionalLong firstDifference, long paddingBytes,
                             boolean paddingClean) {

    public boolean equal() {
        return firstDifference.isEmpty() && paddingClean;
    }
}
