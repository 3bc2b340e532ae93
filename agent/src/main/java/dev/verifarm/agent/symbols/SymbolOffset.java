package dev.verifarm.agent.symbols;

/** An address expressed as a symbol plus a byte offset, the way humans read addresses. */
public record SymbolOffset(String symbol, long offset) {

    @Override
    public String toString() {
        return offset == 0 ? symbol : symbol + "+0x" + Long.toHexString(offset);
    }
}
