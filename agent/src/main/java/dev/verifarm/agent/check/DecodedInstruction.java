package dev.verifarm.agent.check;

/** One disassembled instruction, as evidence a human can read. */
public record DecodedInstruction(long address, String bytes, String text) {

    @Override
    public String toString() {
        return String.format("0x%x  %-24s %s", address, bytes, text);
    }
}
