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

    /** Parses the command-line spelling: {@code symbol-size}, {@code pclntab-end} or {@code symbol:NAME}. */
    public static EndRule parse(String text) {
        if (text.equals("symbol-size")) {
            return symbolSize();
        }
        if (text.equals("pclntab-end")) {
            return pclntabEnd();
        }
        if (text.startsWith("symbol:") && text.length() > "symbol:".length()) {
            return endSymbol(text.substring("symbol:".length()));
        }
        throw new IllegalArgumentException(
                "unknown end rule '" + text + "': use symbol-size, pclntab-end or symbol:NAME");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SYMBOL_SIZE -> "symbol-size";
            case PCLNTAB_END -> "pclntab-end";
            case END_SYMBOL -> "symbol:" + endSymbol.orElseThrow();
        };
    }
}
