package dev.verifarm.agent.check.vocabulary;

import java.util.Optional;

/**
 * One place that takes an assembly function's func value.
 *
 * @param kind        {@code code} (an instruction that materialises or loads the address of a func value word),
 *                    {@code code-entry} (an instruction that materialises the wrapper's entry itself) or
 *                    {@code data} (a data word that holds the address of a func value word)
 * @param at          where the instruction or data word is
 * @param taker       the taking function's Go name, or the data symbol (section+offset when .symtab has none)
 * @param instruction the decoded instruction, for code
 * @param refersTo    the func value word or entry it refers to
 */
public record HazardReference(String kind, Location at, String taker, Optional<DecodedInstruction> instruction,
                              long refersTo) {
}
