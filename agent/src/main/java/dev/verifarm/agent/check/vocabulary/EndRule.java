package dev.verifarm.agent.check.vocabulary;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a copied text range ends.
 *
 * @param kind        the rule
 * @param endSymbol   for {@link Kind#END_SYMBOL}, the symbol whose address ends the range
 */
public record EndRule(Kind kind, Optional<String> endSymbol) {

    public enum Kind {
        /** begin + the target's .symtab size. */
        SYMBOL_SIZE,
        /** The end of the target's .gopclntab entry, alignment padding included (gVisor's FindEndAddress). */
        PCLNTAB_END,
        /** The address of a named symbol. */
        END_SYMBOL
    }

    public EndRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endSymbol, "endSymbol");
        if ((kind == Kind.END_SYMBOL) != endSymbol.isPresent()) {
            throw new IllegalArgumentException("an end symbol is given exactly when the rule is END_SYMBOL");
        }
    }

    public static EndRule symbolSize() {
        return new EndRule(Kind.SYMBOL_SIZE, Optional.empty());
    }

    public static EndRule pclntabEnd() {
        return new EndRule(Kind.PCLNTAB_END, Optional.empty());
    }

    public static EndRule endSymbol(String name) {
        return new EndRule(Kind.END_SYMBOL, Optional.of(name));
    }

    /** The engine's form of a rule the contract has read and validated. */
    public static EndRule of(dev.verifarm.contract.EndRule checked) {
        return new EndRule(Kind.valueOf(checked.kind().name()), checked.endSymbol());
    }

    public dev.verifarm.contract.EndRule contract() {
        return new dev.verifarm.contract.EndRule(dev.verifarm.contract.EndRule.Kind.valueOf(kind.name()), endSymbol);
    }

    /** {@code symbol-size}, {@code pclntab-end} or {@code symbol:NAME}, as every face spells it. */
    @Override
    public String toString() {
        return contract().spelling();
    }
}
