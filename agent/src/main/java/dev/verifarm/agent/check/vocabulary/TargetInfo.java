package dev.verifarm.agent.check.vocabulary;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the target lives in the file.
 *
 * @param name           the target as the user named it
 * @param body           the symbol of its body ({@code X.abi0} when the binary has an ABI wrapper {@code X})
 * @param bodyAddress    the body's virtual address in the file
 * @param bodySize       the body's size from .symtab, or from .gopclntab when the binary is stripped
 * @param pclntabEnd     the end of the body's .gopclntab entry, alignment padding included
 * @param wrapperAddress the address of the target's ABI wrapper, when the binary has one
 */
public record TargetInfo(String name, String body, long bodyAddress, long bodySize, OptionalLong pclntabEnd,
                         Optional<Long> wrapperAddress) {
}
