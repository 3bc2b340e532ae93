package dev.verifarm.agent.check.vocabulary;

/**
 * One disassembled instruction, as evidence a human can read.
 *
 * @param walk what the walk of a resolver stub made of it (the stack pointer against its value at entry, a local
 *             or the result slot written, a stack-split check passed); empty where no walk went
 */
public record DecodedInstruction(long address, String bytes, String text, String walk) {

    public DecodedInstruction(long address, String bytes, String text) {
        this(address, bytes, text, "");
    }

    @Override
    public String toString() {
        String line = String.format("0x%x  %-24s %s", address, bytes, text);
        return walk.isEmpty() ? line : String.format("%-60s ; %s", line, walk);
    }
}
