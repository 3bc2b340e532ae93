package dev.verifarm.agent.gosym;

/**
 * One function as .gopclntab records it: what {@code runtime.FuncForPC} knows.
 *
 * @param name   the function's name; a body and its ABI wrapper share one name here
 * @param entry  its first instruction's address
 * @param end    the next function's entry: the pclntab end, alignment padding included
 * @param funcId the _func funcID byte (the wrapper's number changes between Go versions)
 * @param flag   the _func flag byte (bit 2 is ASM from Go 1.18)
 */
public record FuncEntry(String name, long entry, long end, int funcId, int flag) {

    private static final int FUNC_FLAG_ASM = 1 << 2;

    public long length() {
        return end - entry;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address - entry, end - entry) < 0;
    }

    boolean asmFlag() {
        return (flag & FUNC_FLAG_ASM) != 0;
    }
}
