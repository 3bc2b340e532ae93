package dev.verifarm.agent.symbols;

/**
 * A function's name and extent.
 *
 * @param size   from .symtab when present, else the .gopclntab length (which includes alignment padding)
 * @param source where the name came from
 */
public record CodeSymbol(String name, long address, long size, Source source) {

    public enum Source { SYMTAB, PCLNTAB }

    public long end() {
        return address + size;
    }
}
