package dev.verifarm.agent.check.vocabulary;

import dev.verifarm.agent.symbols.SymbolOffset;

import java.util.Optional;

/** A code or data address and, when one covers it, the symbol it falls in. */
public record Location(long address, Optional<SymbolOffset> symbol) {

    @Override
    public String toString() {
        return "0x" + Long.toHexString(address) + symbol.map(s -> " <" + s + ">").orElse(" <no symbol>");
    }
}
