package dev.verifarm.agent.isa;

import java.util.HexFormat;
import java.util.List;

/**
 * One decoded machine instruction.
 *
 * @param call   whether it is a call (amd64 {@code call}, arm64 {@code bl}/{@code blr})
 * @param jump   whether it transfers control other than by call or return
 * @param ret    whether it returns
 */
public record Instruction(long address, byte[] bytes, String mnemonic, String operandText, List<Operand> operands,
                          boolean call, boolean jump, boolean ret) {

    public Instruction {
        bytes = bytes.clone();
        operands = List.copyOf(operands);
    }

    public int size() {
        return bytes.length;
    }

    /** The address of the following instruction. */
    public long next() {
        return address + bytes.length;
    }

    public String hexBytes() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Assembler text, e.g. {@code lea rax, [rip - 0x27]}. */
    public String text() {
        return operandText.isEmpty() ? mnemonic : mnemonic + " " + operandText;
    }

    @Override
    public String toString() {
        return String.format("0x%x: %s", address, text());
    }
}
