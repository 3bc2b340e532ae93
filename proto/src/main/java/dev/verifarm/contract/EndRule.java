package dev.verifarm.contract;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a copied text range ends, spelled {@code symbol-size}, {@code pclntab-end} or {@code symbol:NAME}.
 *
 * @param endSymbol for {@link Kind#END_SYMBOL}, the symbol whose address ends the range
 */
public record EndRule(Kind kind, Optional<String> endSymbol) {
    static final String SPELLINGS = "use symbol-size, pclntab-end or symbol:NAME";
    private static final String SYMBOL = "symbol:";

    /** The names are verifarm.v1.EndRuleKind's. */
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
        if (kind == Kind.END_SYMBOL && endSymbol.filter(name -> !name.isBlank()).isEmpty()) {
            throw ContractException.of("endRule", "an END_SYMBOL end rule names its symbol: symbol:NAME");
        }
        if (kind != Kind.END_SYMBOL && endSymbol.isPresent()) {
            throw ContractException.of("endRule", "only an END_SYMBOL end rule names a symbol, not " + kind);
        }
        endSymbol.ifPresent(name -> Names.require("endRule", name, "the end symbol"));
    }

    public static EndRule symbolSize() {
        return new EndRule(Kind.SYMBOL_SIZE, Optional.empty());
    }

    /** What a copy ends by when it names no rule. */
    public static EndRule pclntabEnd() {
        return new EndRule(Kind.PCLNTAB_END, Optional.empty());
    }

    public static EndRule endSymbol(String name) {
        return new EndRule(Kind.END_SYMBOL, Optional.of(name));
    }

    /** Reads a spelling; a refusal names the spelling and the three allowed forms. */
    public static EndRule parse(String spelling) {
        String text = spelling == null ? "" : spelling.strip();
        return switch (text) {
            case "symbol-size" -> symbolSize();
            case "pclntab-end" -> pclntabEnd();
            default -> {
                if (text.startsWith(SYMBOL) && !text.substring(SYMBOL.length()).isBlank()) {
                    yield endSymbol(text.substring(SYMBOL.length()));
                }
                throw ContractException.of("endRule", "unknown end rule '" + spelling + "': " + SPELLINGS);
            }
        };
    }

    /** The spelling {@link #parse} reads back to an equal rule. */
    public String spelling() {
        return switch (kind) {
            case SYMBOL_SIZE -> "symbol-size";
            case PCLNTAB_END -> "pclntab-end";
            case END_SYMBOL -> SYMBOL + endSymbol.orElseThrow();
        };
    }

    @Override
    public String toString() {
        return spelling();
    }
}
