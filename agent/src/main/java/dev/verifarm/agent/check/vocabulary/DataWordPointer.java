package dev.verifarm.agent.check.vocabulary;

import java.util.Optional;

/**
 * A word of the data sections that holds a function's entry: a func value, an itab's method, an assembly
 * {@code DATA} word such as golang.org/x/sys's {@code *_trampoline_addr}.
 *
 * @param address    where the word is
 * @param section    the section that holds it
 * @param name       the data symbol that starts at the word, if .symtab names one
 * @param yields     the function entry it holds
 * @param suggestion the expectation that checks it, {@code data:NAME=TARGET}, when the word has a name
 */
public record DataWordPointer(long address, String section, Optional<String> name, Location yields,
                              Optional<String> suggestion) {
}
